// Lowercases each code point on its own (Rust's char::to_lowercase, as Hugging Face does): no
// context-dependent rules such as the Greek final sigma; U+0130 (İ) becomes "i̇" (two code points).
namespace Transformer.Text;

internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text)
    {
        var lower = text.ToLowerInvariant();
        return lower.Contains('\u0130') ? lower.Replace("\u0130", "i\u0307", StringComparison.Ordinal) : lower;
    }

    public override void Write(TokenizerJsonWriter json) =>
        json.StartObject().Property("type", "Lowercase").EndObject();
}
