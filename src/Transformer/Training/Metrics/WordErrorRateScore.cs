namespace Transformer.Training.Metrics;

/// <param name="Rate">Edits / ReferenceWords: a fraction, above 1 when insertions outnumber reference words.</param>
/// <param name="Edits">Word insertions, deletions and substitutions over the corpus.</param>
/// <param name="ReferenceWords">Words in all references.</param>
public sealed record WordErrorRateScore(double Rate, long Edits, long ReferenceWords);
