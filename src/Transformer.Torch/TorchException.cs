// The exception every failed native call becomes; its message is libtorch's own text.
namespace Transformer.Torch;

public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }
}
