// Grapheme-to-phoneme evaluation: each predicted pronunciation (a phoneme sequence) is scored against
// the closest of the word's reference pronunciations. The closest reference is the one at the smallest
// phoneme edit distance; of equally close ones the shorter, then the first listed — so a tie never
// lowers the error rate by choosing a longer denominator.
namespace Transformer.Training.Metrics;

/// <summary>Accumulates words; <see cref="Result"/> gives the word error rate (WER: fraction of words whose
/// prediction matches no reference exactly) and phoneme error rate (PER: Σ edit distance to the closest
/// reference / Σ length of those references).</summary>
public sealed class PronunciationErrorRates
{
    private int _wrongWords;
    private long _phonemeEdits;
    private long _referencePhonemes;

    /// <summary>Words added so far.</summary>
    public int Words { get; private set; }

    /// <summary>Adds one word's predicted pronunciation and its reference pronunciations (at least one,
    /// none empty).</summary>
    public void Add(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        var (_, distance, length) = ClosestReference(hypothesis.ToArray(), references, Words);
        if (distance > 0) _wrongWords++;
        _phonemeEdits += distance;
        _referencePhonemes += length;
        Words++;
    }

    /// <summary>Adds one word whose pronunciations are written as white-space-separated phonemes ("K AE1 T").</summary>
    public void Add(string hypothesis, IReadOnlyList<string> references) =>
        Add(PythonText.Split(hypothesis), references.Select(r => (IReadOnlyList<string>)PythonText.Split(r)).ToArray());

    public PronunciationScore Result => Words == 0
        ? throw new InvalidOperationException("WER/PER of an empty set is undefined: no word was added")
        : new PronunciationScore((double)_wrongWords / Words, (double)_phonemeEdits / _referencePhonemes,
            Words, _wrongWords, _phonemeEdits, _referencePhonemes);

    /// <summary>Scores aligned predictions against each word's reference pronunciations.</summary>
    public static PronunciationScore Score(IReadOnlyList<IReadOnlyList<string>> hypotheses,
        IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references)
    {
        ReferenceList.CheckAligned(hypotheses.Count, references.Count);
        var rates = new PronunciationErrorRates();
        for (int i = 0; i < hypotheses.Count; i++) rates.Add(hypotheses[i], references[i]);
        return rates.Result;
    }

    /// <summary>The index, edit distance and length of the reference closest to <paramref name="hypothesis"/>:
    /// smallest distance, then shortest, then first.</summary>
    public static (int Index, int Distance, int Length) ClosestReference(ReadOnlySpan<string> hypothesis,
        IReadOnlyList<IReadOnlyList<string>> references, int word = 0)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0) throw new ArgumentException($"word {word} has no reference pronunciation");
        (int Index, int Distance, int Length) best = (-1, int.MaxValue, int.MaxValue);
        for (int r = 0; r < references.Count; r++)
        {
            var reference = references[r].ToArray();
            if (reference.Length == 0) throw new ArgumentException($"word {word}: reference pronunciation {r} is empty");
            int distance = EditDistance.Levenshtein(hypothesis, reference);
            if (distance < best.Distance || (distance == best.Distance && reference.Length < best.Length))
            {
                best = (r, distance, reference.Length);
            }
        }
        return best;
    }
}
