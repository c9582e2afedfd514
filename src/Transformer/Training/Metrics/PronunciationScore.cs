namespace Transformer.Training.Metrics;

/// <param name="WordErrorRate">WrongWords / Words, in [0, 1].</param>
/// <param name="PhonemeErrorRate">PhonemeEdits / ReferencePhonemes: a fraction, above 1 when insertions
/// outnumber the closest references' phonemes.</param>
/// <param name="Words">Words scored.</param>
/// <param name="WrongWords">Words whose prediction equals none of their references.</param>
/// <param name="PhonemeEdits">Σ edit distance to each word's closest reference.</param>
/// <param name="ReferencePhonemes">Σ length of each word's closest reference.</param>
public sealed record PronunciationScore(
    double WordErrorRate,
    double PhonemeErrorRate,
    int Words,
    int WrongWords,
    long PhonemeEdits,
    long ReferencePhonemes);
