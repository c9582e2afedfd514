// Normalizers applied one after another.
namespace Transformer.Text;

internal sealed class SequenceNormalizer : Normalizer
{
    private readonly Normalizer[] _normalizers;

    public SequenceNormalizer(Normalizer[] normalizers) => _normalizers = normalizers;

    public override string Normalize(string text)
    {
        foreach (var normalizer in _normalizers) text = normalizer.Normalize(text);
        return text;
    }

    public override void Write(TokenizerJsonWriter json)
    {
        json.StartObject().Property("type", "Sequence").Key("normalizers").StartArray();
        foreach (var normalizer in _normalizers) normalizer.Write(json);
        json.EndArray().EndObject();
    }
}
