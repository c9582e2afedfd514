// Which exceptions are the user's input (config, data, checkpoint, arguments) rather than a failure.
using Transformer.Training.Checkpoints;

namespace Transformer.Cli;

internal static class UserErrors
{
    public static bool IsUserError(Exception e) => e is CliException or ConfigException or CheckpointException
        or Transformer.Torch.SafetensorsFormatException or FileNotFoundException or DirectoryNotFoundException;
}
