// A token matched in the input before normalization and pre-tokenization (Hugging Face's "added_tokens").
namespace Transformer.Text;

/// <summary>
/// An added token: <see cref="Content"/> found in the text becomes <see cref="Id"/> as a whole.
/// <see cref="Special"/> tokens are dropped by <c>Decode(ids, skipSpecialTokens: true)</c>.
/// <see cref="SingleWord"/>: match only when not inside a word; <see cref="LStrip"/>/<see cref="RStrip"/>:
/// the match swallows the whitespace on its left/right; <see cref="Normalized"/>: matched in the
/// normalized text instead of the raw text.
/// </summary>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special = true,
    bool SingleWord = false,
    bool LStrip = false,
    bool RStrip = false,
    bool Normalized = false);
