// One split of the Brown running text: tokens (words and punctuation) and lines (sentences, or the
// pieces of a sentence cut at a split boundary).
namespace Transformer.Data.Corpora;

public sealed record BrownSplit(string Name, int Tokens, int Lines);
