// A checkpoint that cannot be used: names the directory or file and what is wrong with it.
namespace Transformer.Training.Checkpoints;

public sealed class CheckpointException : TransformerException
{
    public CheckpointException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    public override ErrorKind Kind => ErrorKind.Checkpoint;

    public string Path { get; }
}
