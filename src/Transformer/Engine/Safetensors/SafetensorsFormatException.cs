// The error for a malformed safetensors file: the message names the file and what is wrong with it.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class SafetensorsFormatException : TransformerException
{
    public SafetensorsFormatException(string fileName, string problem, Exception? innerException = null)
        : base(ErrorText.OneLine($"{fileName}: {problem}", MaxMessageChars), innerException)
    {
        FileName = fileName;
        Problem = problem;
    }

    // Tensor names and metadata come from the file: a 100 MB name must not make a 100 MB message.
    private const int MaxMessageChars = 1000;

    public override ErrorKind Kind => ErrorKind.Checkpoint;

    /// <summary>The file (or the name given for a stream or buffer) that was being read.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
