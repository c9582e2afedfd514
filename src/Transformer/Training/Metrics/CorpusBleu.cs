// Corpus BLEU exactly as sacreBLEU 2.x computes it by default: 13a tokens, n-grams up to order 4,
// counts clipped by the most any one reference holds, the closest reference length for the brevity
// penalty, statistics summed over the corpus before the score is taken.
namespace Transformer.Training.Metrics;

/// <summary>Accumulates BLEU statistics segment by segment; <see cref="Result"/> scores the corpus so far.</summary>
public sealed class CorpusBleu
{
    public const int DefaultMaxOrder = 4;

    private readonly long[] _matches;
    private readonly long[] _totals;
    private long _hypothesisLength;
    private long _referenceLength;

    public CorpusBleu(int maxOrder = DefaultMaxOrder)
    {
        if (maxOrder < 1) throw new ArgumentException($"max n-gram order must be at least 1, got {maxOrder}");
        MaxOrder = maxOrder;
        _matches = new long[maxOrder];
        _totals = new long[maxOrder];
    }

    public int MaxOrder { get; }

    /// <summary>Hypotheses added so far.</summary>
    public int Segments { get; private set; }

    /// <summary>Scores one hypothesis against its references. Empty references are ignored, as sacreBLEU
    /// ignores them (a segment may have fewer references than others); at least one must remain.</summary>
    public void Add(string hypothesis, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        var usable = ReferenceList.NonEmpty(references, Segments, "BLEU");

        var referenceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceLengths = new int[usable.Count];
        for (int r = 0; r < usable.Count; r++)
        {
            var tokens = Preprocess(usable[r]);
            referenceLengths[r] = tokens.Length;
            foreach (var (ngram, count) in CountNGrams(tokens))
            {
                referenceCounts[ngram] = Math.Max(count, referenceCounts.GetValueOrDefault(ngram));
            }
        }

        var hypothesisTokens = Preprocess(hypothesis);
        foreach (var (ngram, count) in CountNGrams(hypothesisTokens))
        {
            int order = NGramOrder(ngram);
            _totals[order - 1] += count;
            _matches[order - 1] += Math.Min(count, referenceCounts.GetValueOrDefault(ngram));
        }
        _hypothesisLength += hypothesisTokens.Length;
        _referenceLength += ClosestReferenceLength(hypothesisTokens.Length, referenceLengths);
        Segments++;
    }

    public void Add(string hypothesis, string reference) => Add(hypothesis, [reference]);

    /// <summary>BLEU of everything added so far (0–100).</summary>
    public BleuScore Result => Segments == 0
        ? throw new InvalidOperationException("BLEU of an empty corpus is undefined: no hypothesis was added")
        : BleuScore.FromStatistics(_matches, _totals, _hypothesisLength, _referenceLength);

    /// <summary>Corpus BLEU; <paramref name="references"/>[i] holds the references of hypothesis i.</summary>
    public static BleuScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references,
        int maxOrder = DefaultMaxOrder)
    {
        ReferenceList.CheckAligned(hypotheses.Count, references.Count);
        var bleu = new CorpusBleu(maxOrder);
        for (int i = 0; i < hypotheses.Count; i++) bleu.Add(hypotheses[i], references[i]);
        return bleu.Result;
    }

    /// <summary>Corpus BLEU with one reference per hypothesis.</summary>
    public static BleuScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references,
        int maxOrder = DefaultMaxOrder) =>
        Score(hypotheses, references.Select(r => (IReadOnlyList<string>)[r]).ToArray(), maxOrder);

    /// <summary>The reference length closest to the hypothesis length; of two equally close, the shorter.</summary>
    public static int ClosestReferenceLength(int hypothesisLength, IReadOnlyList<int> referenceLengths)
    {
        int best = referenceLengths[0];
        foreach (int length in referenceLengths)
        {
            int difference = Math.Abs(hypothesisLength - length), bestDifference = Math.Abs(hypothesisLength - best);
            if (difference < bestDifference || (difference == bestDifference && length < best)) best = length;
        }
        return best;
    }

    // sacreBLEU strips trailing white space before tokenizing.
    private static string[] Preprocess(string segment) => Tokenizer13a.Split(PythonText.TrimEnd(segment));

    // Tokens hold no spaces, so a space-joined key identifies the n-gram and its order.
    private Dictionary<string, int> CountNGrams(string[] tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= MaxOrder; n++)
        {
            for (int i = 0; i + n <= tokens.Length; i++)
            {
                var key = string.Join(' ', tokens, i, n);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        return counts;
    }

    private static int NGramOrder(string ngram) => ngram.AsSpan().Count(' ') + 1;
}
