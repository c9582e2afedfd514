// Turns tokens back into text: Hugging Face's "decoder" (ByteLevel, Fuse, Sequence). Each decoder maps
// a list of token strings to a list of strings (decode_chain); the tokenizer concatenates the result.
// Without a decoder, tokens are joined with single spaces, as Hugging Face does.
namespace Transformer.Text;

internal abstract class TokenDecoder
{
    public abstract List<string> DecodeChain(List<string> tokens);

    public abstract void Write(TokenizerJsonWriter json);

    public static TokenDecoder? Read(TokenizerJsonNode? node)
    {
        if (node is not { } n) return null;
        return n.Type() switch
        {
            "ByteLevel" => new ByteLevelDecoder(ByteLevelSettings.Read(n)),
            "Fuse" => new FuseDecoder(),
            "Sequence" => new SequenceDecoder(
                n.Get("decoders").Items().Select(item => Read(item) ?? throw item.Error("expected a decoder, found null")).ToArray()),
            _ => throw n.Unsupported("decoder"),
        };
    }
}
