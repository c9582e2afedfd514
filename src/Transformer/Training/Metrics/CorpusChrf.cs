// Corpus chrF (Popović 2015) exactly as sacreBLEU 2.x computes it: character n-grams over Unicode code
// points with white space removed, the best-scoring reference per segment, statistics summed over the
// corpus before the score is taken.
namespace Transformer.Training.Metrics;

/// <summary>Accumulates chrF statistics segment by segment; <see cref="Result"/> scores the corpus so far.</summary>
public sealed class CorpusChrf
{
    private readonly ChrfOptions _options;
    private readonly long[] _hypothesis;
    private readonly long[] _reference;
    private readonly long[] _matches;

    public CorpusChrf(ChrfOptions? options = null)
    {
        _options = options ?? new ChrfOptions();
        _options.Validate();
        _hypothesis = new long[_options.CharOrder];
        _reference = new long[_options.CharOrder];
        _matches = new long[_options.CharOrder];
    }

    /// <summary>Hypotheses added so far.</summary>
    public int Segments { get; private set; }

    /// <summary>Adds one hypothesis with the statistics of its best reference (highest chrF; the first of
    /// equals). Empty references are ignored; at least one must remain.</summary>
    public void Add(string hypothesis, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        var usable = ReferenceList.NonEmpty(references, Segments, "chrF");
        var hypothesisNGrams = CountNGrams(hypothesis);

        (long[] Hypothesis, long[] Reference, long[] Matches)? best = null;
        double bestScore = -1;
        foreach (var reference in usable)
        {
            var statistics = MatchStatistics(hypothesisNGrams, CountNGrams(reference));
            double score = ChrfScore.FScore(statistics.Hypothesis, statistics.Reference, statistics.Matches,
                _options.Beta, _options.EpsilonSmoothing);
            if (score > bestScore) (best, bestScore) = (statistics, score);
        }

        for (int n = 0; n < _options.CharOrder; n++)
        {
            _hypothesis[n] += best!.Value.Hypothesis[n];
            _reference[n] += best.Value.Reference[n];
            _matches[n] += best.Value.Matches[n];
        }
        Segments++;
    }

    public void Add(string hypothesis, string reference) => Add(hypothesis, [reference]);

    /// <summary>chrF of everything added so far (0–100).</summary>
    public ChrfScore Result => Segments == 0
        ? throw new InvalidOperationException("chrF of an empty corpus is undefined: no hypothesis was added")
        : new ChrfScore(ChrfScore.FScore(_hypothesis, _reference, _matches, _options.Beta, _options.EpsilonSmoothing),
            _hypothesis.ToArray(), _reference.ToArray(), _matches.ToArray());

    /// <summary>Corpus chrF; <paramref name="references"/>[i] holds the references of hypothesis i.</summary>
    public static ChrfScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references,
        ChrfOptions? options = null)
    {
        ReferenceList.CheckAligned(hypotheses.Count, references.Count);
        var chrf = new CorpusChrf(options);
        for (int i = 0; i < hypotheses.Count; i++) chrf.Add(hypotheses[i], references[i]);
        return chrf.Result;
    }

    /// <summary>Corpus chrF with one reference per hypothesis.</summary>
    public static ChrfScore Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references,
        ChrfOptions? options = null) =>
        Score(hypotheses, references.Select(r => (IReadOnlyList<string>)[r]).ToArray(), options);

    /// <summary>Character n-gram counts for n = 1..order; a character is a code point, as in Python.</summary>
    private Dictionary<string, int>[] CountNGrams(string segment)
    {
        var text = _options.IncludeWhitespace ? segment : PythonText.RemoveSpaces(segment);
        var offsets = PythonText.CodePointOffsets(text);
        int characters = offsets.Length - 1;
        var counts = new Dictionary<string, int>[_options.CharOrder];
        for (int n = 1; n <= _options.CharOrder; n++)
        {
            var order = counts[n - 1] = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= characters; i++)
            {
                var ngram = text[offsets[i]..offsets[i + n]];
                order[ngram] = order.GetValueOrDefault(ngram) + 1;
            }
        }
        return counts;
    }

    private static (long[] Hypothesis, long[] Reference, long[] Matches) MatchStatistics(
        Dictionary<string, int>[] hypothesis, Dictionary<string, int>[] reference)
    {
        int orders = hypothesis.Length;
        var (hypothesisCounts, referenceCounts, matches) = (new long[orders], new long[orders], new long[orders]);
        for (int n = 0; n < orders; n++)
        {
            long hypothesisTotal = 0;
            foreach (var (ngram, count) in hypothesis[n])
            {
                hypothesisTotal += count;
                matches[n] += Math.Min(count, reference[n].GetValueOrDefault(ngram));
            }
            // sacreBLEU does not count hypothesis n-grams of an order the reference is too short for.
            hypothesisCounts[n] = reference[n].Count > 0 ? hypothesisTotal : 0;
            referenceCounts[n] = reference[n].Values.Sum();
        }
        return (hypothesisCounts, referenceCounts, matches);
    }
}
