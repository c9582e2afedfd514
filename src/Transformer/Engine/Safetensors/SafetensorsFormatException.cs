// The error for a malformed safetensors file: the message names the file and what is wrong with it.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class SafetensorsFormatException : TransformerException
{
    public SafetensorsFormatException(string fileName, string problem, Exception? innerException = null)
        : base($"{fileName}: {problem}", innerException)
    {
        FileName = fileName;
        Problem = problem;
    }

    public override ErrorKind Kind => ErrorKind.Checkpoint;

    /// <summary>The file (or the name given for a stream or buffer) that was being read.</summary>
    public string FileName { get; }

    /// <summary>What is wrong with it, without the file name.</summary>
    public string Problem { get; }
}
