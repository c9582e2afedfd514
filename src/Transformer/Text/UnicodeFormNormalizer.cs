// One of the Unicode normalization forms NFC, NFD, NFKC, NFKD: the runtime's own (ICU on Linux; globalization
// must be on, as Directory.Build.props has it — in invariant mode string.Normalize would do nothing).
using System.Text;

namespace Transformer.Text;

internal sealed class UnicodeFormNormalizer(string form) : Normalizer
{
    private readonly NormalizationForm _form = form switch
    {
        "NFC" => NormalizationForm.FormC,
        "NFD" => NormalizationForm.FormD,
        "NFKC" => NormalizationForm.FormKC,
        _ => NormalizationForm.FormKD,
    };

    public string Form { get; } = form;

    // Lone surrogates make string.Normalize throw; Hugging Face's normalizers never see them (Rust strings are
    // UTF-8), so text with them is left as it is rather than failing the whole encode.
    public override string Normalize(string text)
    {
        try { return text.Normalize(_form); }
        catch (ArgumentException) { return text; }
    }

    public override void Write(TokenizerJsonWriter json) =>
        json.StartObject().Property("type", Form).EndObject();
}
