// The engine (TorchSharp and its native libtorch) cannot run here: one line saying why and what to do.
namespace Transformer.Engine;

public sealed class EngineException(string message, Exception? inner = null) : TransformerException(message, inner)
{
    public override ErrorKind Kind => ErrorKind.Environment;
}
