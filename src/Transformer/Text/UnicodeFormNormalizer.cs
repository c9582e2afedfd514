// One of the Unicode normalization forms NFC, NFD, NFKC, NFKD (see UnicodeNormalization).
namespace Transformer.Text;

internal sealed class UnicodeFormNormalizer : Normalizer
{
    private readonly bool _compose;
    private readonly bool _compatibility;

    public UnicodeFormNormalizer(string form)
    {
        Form = form;
        _compose = form is "NFC" or "NFKC";
        _compatibility = form is "NFKC" or "NFKD";
    }

    public string Form { get; }

    public override string Normalize(string text) => UnicodeNormalization.Normalize(text, _compose, _compatibility);

    public override void Write(TokenizerJsonWriter json) =>
        json.StartObject().Property("type", Form).EndObject();
}
