// Hugging Face's "Fuse" decoder: all tokens concatenated into one string, with nothing in between.
namespace Transformer.Text;

internal sealed class FuseDecoder : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];

    public override void Write(TokenizerJsonWriter json) => json.StartObject().Property("type", "Fuse").EndObject();
}
