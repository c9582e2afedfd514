// The command's exit codes: 0 success, 1 runtime failure, 2 bad usage, config, data or checkpoint.
namespace Transformer.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}
