// A checkpoint that cannot be used: names the directory or file and what is wrong with it.
namespace Transformer.Training.Checkpoints;

public sealed class CheckpointException : TransformerException
{
    // Tensor names and messages can come from the file: escaped onto one line and cut (ErrorText.OneLine).
    public CheckpointException(string path, string problem, Exception? inner = null) : base(ErrorText.OneLine($"{path}: {problem}", 1000), inner)
    {
        Path = path;
    }

    public override ErrorKind Kind => ErrorKind.Checkpoint;

    public string Path { get; }
}
