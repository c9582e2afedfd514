// A checkpoint that cannot be used: names the directory or file and what is wrong with it.
namespace Transformer.Training.Checkpoints;

public sealed class CheckpointException : Exception
{
    public CheckpointException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
