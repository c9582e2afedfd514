// Retrieval: the target of the training source with the highest character overlap with the query.
// Characters are Unicode scalar values (a character outside the BMP counts once); white space is ignored.
// overlap(q, s) = Σ over characters c of min(count of c in q, count of c in s) — the size of the multiset
// intersection. Ties go to the source whose length (in characters) is closest to the query's, then to the
// earliest training example. A query sharing no character with any training source gets "".
// An inverted index from character to (example, count) keeps a query's cost to the examples that share a
// character with it, not the whole training split.
using System.Text;

namespace Transformer.Training.Baselines;

public sealed class RetrievalBaseline : IPairBaseline
{
    private readonly string[] targets;
    private readonly int[] lengths;
    private readonly Dictionary<int, List<(int Example, int Count)>> postings = [];
    private readonly int[] scores;            // per example, reset after each query (Predict is not thread-safe)
    private readonly List<int> touched = [];

    /// <param name="pairs">The training split's (source, target) pairs, in order.</param>
    public RetrievalBaseline(IEnumerable<(string Source, string Target)> pairs)
    {
        var targetList = new List<string>();
        var lengthList = new List<int>();
        foreach (var (source, target) in pairs)
        {
            var counts = Characters(source);
            foreach (var (c, n) in counts)
            {
                if (!postings.TryGetValue(c, out var list)) postings[c] = list = [];
                list.Add((targetList.Count, n));
            }
            targetList.Add(target);
            lengthList.Add(counts.Values.Sum());
        }
        targets = [.. targetList];
        lengths = [.. lengthList];
        scores = new int[targets.Length];
    }

    public string Name => "retrieval";

    /// <summary>Training examples indexed.</summary>
    public int Examples => targets.Length;

    public string Predict(string source) => Retrieve(source) is { } example ? targets[example] : "";

    /// <summary>The index of the training example retrieved for <paramref name="source"/>, or null when no training
    /// source shares a character with it.</summary>
    public int? Retrieve(string source)
    {
        var query = Characters(source);
        var length = query.Values.Sum();
        foreach (var (c, n) in query)
            if (postings.TryGetValue(c, out var list))
                foreach (var (example, count) in list)
                {
                    if (scores[example] == 0) touched.Add(example);
                    scores[example] += Math.Min(n, count);
                }
        int best = -1, bestScore = 0, bestGap = int.MaxValue;
        foreach (var example in touched)
        {
            int score = scores[example], gap = Math.Abs(lengths[example] - length);
            if (score > bestScore || (score == bestScore && (gap < bestGap || (gap == bestGap && example < best))))
                (best, bestScore, bestGap) = (example, score, gap);
            scores[example] = 0;
        }
        touched.Clear();
        return best < 0 ? null : best;
    }

    /// <summary>Each non-white-space character of <paramref name="text"/> (a Unicode scalar value) with its count.</summary>
    internal static Dictionary<int, int> Characters(string text)
    {
        var counts = new Dictionary<int, int>();
        foreach (var rune in text.EnumerateRunes())
            if (!Rune.IsWhiteSpace(rune)) counts[rune.Value] = counts.GetValueOrDefault(rune.Value) + 1;
        return counts;
    }
}
