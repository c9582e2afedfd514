// One split of the Chinese → English data: distinct headwords (simplified forms) and rows (one per distinct gloss).
namespace Transformer.Data.Corpora;

public sealed record CedictSplit(string Name, int Headwords, int Rows);
