// Text normalization before pre-tokenization: Hugging Face's "normalizer" (Lowercase, NFC, NFD, NFKC,
// NFKD, Sequence). Normalizers are immutable and thread-safe.
namespace Transformer.Text;

internal abstract class Normalizer
{
    public abstract string Normalize(string text);

    public abstract void Write(TokenizerJsonWriter json);

    public static Normalizer? Read(TokenizerJsonNode? node)
    {
        if (node is not { } n) return null;
        return n.Type() switch
        {
            "Lowercase" => new LowercaseNormalizer(),
            "NFC" => new UnicodeFormNormalizer("NFC"),
            "NFD" => new UnicodeFormNormalizer("NFD"),
            "NFKC" => new UnicodeFormNormalizer("NFKC"),
            "NFKD" => new UnicodeFormNormalizer("NFKD"),
            "Sequence" => new SequenceNormalizer(
                n.Get("normalizers").Items().Select(item => Read(item) ?? throw item.Error("expected a normalizer, found null")).ToArray()),
            _ => throw n.Unsupported("normalizer"),
        };
    }
}
