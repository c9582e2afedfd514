// Decoders applied one after another, each to the previous one's output.
namespace Transformer.Text;

internal sealed class SequenceDecoder : TokenDecoder
{
    private readonly TokenDecoder[] _decoders;

    public SequenceDecoder(TokenDecoder[] decoders) => _decoders = decoders;

    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (var decoder in _decoders) tokens = decoder.DecodeChain(tokens);
        return tokens;
    }

    public override void Write(TokenizerJsonWriter json)
    {
        json.StartObject().Property("type", "Sequence").Key("decoders").StartArray();
        foreach (var decoder in _decoders) decoder.Write(json);
        json.EndArray().EndObject();
    }
}
