// Which exceptions are the user's input (config, data, checkpoint, arguments) or environment (an engine
// that cannot load) rather than a failure.
using Transformer.Engine;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli;

internal static class UserErrors
{
    public static bool IsUserError(Exception e) => e is CliException or ConfigException or CheckpointException
        or Transformer.Engine.SafetensorsFormatException or Transformer.Engine.EngineException or FileNotFoundException or DirectoryNotFoundException;
}
