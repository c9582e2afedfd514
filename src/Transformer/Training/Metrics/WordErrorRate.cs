// Word error rate as speech recognition and translation report it: the word-level edit distance of
// each hypothesis to its reference, summed over the corpus, over the reference words.
namespace Transformer.Training.Metrics;

/// <summary>Accumulates sentence pairs; <see cref="Result"/> is Σ edits / Σ reference words (can exceed 1).</summary>
public sealed class WordErrorRate
{
    private long _edits;
    private long _referenceWords;

    /// <summary>Sentences added so far.</summary>
    public int Sentences { get; private set; }

    /// <summary>Adds a sentence pair; words are separated by white space.</summary>
    public void Add(string hypothesis, string reference) =>
        Add(PythonText.Split(hypothesis), PythonText.Split(reference));

    /// <summary>Adds a sentence pair already split into words (or any tokens).</summary>
    public void Add(ReadOnlySpan<string> hypothesis, ReadOnlySpan<string> reference)
    {
        _edits += EditDistance.Levenshtein(hypothesis, reference);
        _referenceWords += reference.Length;
        Sentences++;
    }

    /// <summary>The corpus word error rate.</summary>
    public WordErrorRateScore Result
    {
        get
        {
            if (Sentences == 0) throw new InvalidOperationException("WER of an empty corpus is undefined: no sentence was added");
            if (_referenceWords == 0)
            {
                throw new InvalidOperationException(
                    $"WER is undefined when the references hold no words ({Sentences} sentences, all references empty)");
            }
            return new WordErrorRateScore((double)_edits / _referenceWords, _edits, _referenceWords);
        }
    }

    /// <summary>Corpus WER of aligned hypothesis and reference sentences.</summary>
    public static WordErrorRateScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        ReferenceList.CheckAligned(hypotheses.Count, references.Count);
        var wer = new WordErrorRate();
        for (int i = 0; i < hypotheses.Count; i++) wer.Add(hypotheses[i], references[i]);
        return wer.Result;
    }
}
