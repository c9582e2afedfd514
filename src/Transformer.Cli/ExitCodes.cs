// The command's exit codes: 0 success, 1 a run that failed while training, 2 bad usage, config, data, tokenizer,
// checkpoint or environment, 130 interrupted after saving. The error kinds (ErrorKinds) decide all but success.
namespace Transformer.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = ErrorKinds.TrainingFailed;
    public const int BadInput = ErrorKinds.BadInput;
    public const int Interrupted = ErrorKinds.Interrupted;
}
