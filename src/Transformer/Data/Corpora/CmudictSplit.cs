// One split of the grapheme-to-phoneme data: distinct words and rows (one row per pronunciation).
namespace Transformer.Data.Corpora;

public sealed record CmudictSplit(string Name, int Words, int Rows);
