// Plans token-budget batches over example lengths. The rule: a batch of R rows whose longest first sequence
// (source, or the text) is L₁ and longest second sequence (target; 0 for classification) is L₂ costs
// R·L₁ + R·L₂ padded tokens, which must be ≤ MaxTokens (and R ≤ MaxRows when set). Each epoch: shuffle all
// examples by (seed, epoch), cut into ShuffleChunk-sized chunks, sort each chunk by length, fill batches
// greedily in that order, then shuffle the batches. Every kept example is in exactly one batch per epoch.
namespace Transformer.Data.Batching;

public sealed class TokenBudgetBatcher
{
    private readonly int[] first;
    private readonly int[]? second;
    private readonly int[] kept;
    private readonly TokenBudgetOptions options;

    /// <param name="first">Per example, the width of its first sequence as batched (with BOS/EOS).</param>
    /// <param name="second">Per example, the width of its target (with BOS/EOS), or null.</param>
    /// <param name="name">What the examples are, for messages ("the train split").</param>
    public TokenBudgetBatcher(int[] first, int[]? second, TokenBudgetOptions options, string name = "the data")
    {
        options.Validate();
        if (second is not null && second.Length != first.Length)
            throw new ArgumentException($"{first.Length} first lengths but {second.Length} second lengths", nameof(second));
        this.first = first;
        this.second = second;
        this.options = options;
        var keep = new List<int>(first.Length);
        for (var i = 0; i < first.Length; i++)
        {
            if (Fits(i, out var problem)) keep.Add(i);
            else if (options.Oversized == OversizedPolicy.Skip) Skipped++;
            else throw new DataFormatException($"{name}, example {i}", problem,
                $"every example to fit alone; raise max_tokens/max_length or set oversized: skip");
        }
        kept = keep.ToArray();
    }

    /// <summary>Examples left out as oversized (OversizedPolicy.Skip).</summary>
    public int Skipped { get; }

    /// <summary>Examples in every epoch.</summary>
    public int Count => kept.Length;

    /// <summary>The batches of <paramref name="epoch"/>, each the example indices of its rows; a pure function of
    /// (lengths, options, epoch).</summary>
    public IReadOnlyList<long[]> Plan(long epoch)
    {
        var random = SplitMix64.For(options.Seed, epoch);
        var order = (int[])kept.Clone();
        random.Shuffle<int>(order);
        var batches = new List<long[]>();
        var chunk = new (int First, int Second, int Position, int Example)[Math.Min(options.ShuffleChunk, order.Length)];
        for (var start = 0; start < order.Length; start += options.ShuffleChunk)
        {
            var n = Math.Min(options.ShuffleChunk, order.Length - start);
            for (var k = 0; k < n; k++)
            {
                var example = order[start + k];
                chunk[k] = (first[example], second?[example] ?? 0, k, example);
            }
            // Positions are distinct, so the order is total and the result does not depend on the sort's stability.
            Array.Sort(chunk, 0, n, Comparer<(int, int, int, int)>.Default);
            Fill(chunk.AsSpan(0, n), batches);
        }
        var shuffled = batches.ToArray();
        random.Shuffle<long[]>(shuffled);
        return shuffled;
    }

    private void Fill(ReadOnlySpan<(int First, int Second, int Position, int Example)> sorted, List<long[]> batches)
    {
        var rows = new List<long>();
        int longestFirst = 0, longestSecond = 0;
        foreach (var (f, s, _, example) in sorted)
        {
            int nextFirst = Math.Max(longestFirst, f), nextSecond = Math.Max(longestSecond, s);
            if (rows.Count > 0 && !Within(rows.Count + 1, nextFirst, nextSecond))
            {
                batches.Add(rows.ToArray());
                rows.Clear();
                (nextFirst, nextSecond) = (f, s);
            }
            rows.Add(example);
            (longestFirst, longestSecond) = (nextFirst, nextSecond);
        }
        if (rows.Count > 0) batches.Add(rows.ToArray());
    }

    private bool Within(long rows, long longestFirst, long longestSecond) =>
        rows * (longestFirst + longestSecond) <= options.MaxTokens && (options.MaxRows == 0 || rows <= options.MaxRows);

    private bool Fits(int example, out string problem)
    {
        int f = first[example], s = second?[example] ?? 0;
        var lengths = second is null ? $"{f} tokens" : $"source {f} + target {s} tokens";
        problem = "";
        if (options.MaxLength > 0 && Math.Max(f, s) > options.MaxLength)
            problem = $"{lengths}, longer than max_length {options.MaxLength}";
        else if (!Within(1, f, s))
            problem = $"{lengths}, more than max_tokens {options.MaxTokens}";
        return problem.Length == 0;
    }
}
