// The token-budget planner: every batch within budget (rows × (longest source + longest target)), every
// example exactly once per epoch, the order a pure function of (seed, epoch), oversized examples refused or counted.
using Transformer.Data;
using Transformer.Data.Batching;

namespace Transformer.Tests;

public class DataTokenBudgetBatcherTests
{
    private static (int[] Sources, int[] Targets) Lengths(int n, int seed)
    {
        var random = new SplitMix64((ulong)seed);
        return (Enumerable.Range(0, n).Select(_ => 1 + (int)random.NextBelow(40)).ToArray(),
                Enumerable.Range(0, n).Select(_ => 1 + (int)random.NextBelow(30)).ToArray());
    }

    [Theory]
    [InlineData(300, 100, 50, 0, true)]
    [InlineData(300, 256, 1000, 0, true)]
    [InlineData(1000, 512, 64, 7, true)]
    [InlineData(120, 70, 1, 0, false)]
    [InlineData(50, 4096, 50, 3, false)]
    public void Batches_stay_within_the_budget_and_hold_every_example_exactly_once_per_epoch(int n, int maxTokens, int chunk, int maxRows, bool pairs)
    {
        var (sources, targets) = Lengths(n, seed: n + maxTokens);
        var options = new TokenBudgetOptions { MaxTokens = maxTokens, ShuffleChunk = chunk, MaxRows = maxRows, Seed = 3 };
        var batcher = new TokenBudgetBatcher(sources, pairs ? targets : null, options);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var plan = batcher.Plan(epoch);
            Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), plan.SelectMany(b => b).Order());
            foreach (var batch in plan)
            {
                var cost = batch.Length * (batch.Max(i => sources[i]) + (pairs ? batch.Max(i => targets[i]) : 0));
                Assert.True(cost <= maxTokens, $"a batch of {batch.Length} rows costs {cost} > {maxTokens}");
                if (maxRows > 0) Assert.True(batch.Length <= maxRows);
            }
        }
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_order_and_other_epochs_or_seeds_another()
    {
        var (sources, targets) = Lengths(200, seed: 1);
        TokenBudgetBatcher Make(long seed) => new(sources, targets, new TokenBudgetOptions { MaxTokens = 200, ShuffleChunk = 64, Seed = seed });
        var a = Make(11).Plan(2);
        Assert.Equal(a, Make(11).Plan(2));
        Assert.NotEqual(a, Make(11).Plan(3));
        Assert.NotEqual(a, Make(12).Plan(2));
    }

    [Fact]
    public void Sorting_by_length_inside_chunks_cuts_padding_against_unsorted_batches()
    {
        var (sources, targets) = Lengths(2000, seed: 2);
        var real = (double)(sources.Sum() + targets.Sum());
        var plan = new TokenBudgetBatcher(sources, targets, new TokenBudgetOptions { MaxTokens = 400, ShuffleChunk = 1000 }).Plan(0);
        var bucketed = 1 - real / plan.Sum(b => b.Length * (b.Max(i => sources[i]) + b.Max(i => targets[i])));

        // The same budget rule filled in index order, without sorting.
        double padded = 0;
        int rows = 0, longestSource = 0, longestTarget = 0;
        for (var i = 0; i < sources.Length; i++)
        {
            int s = Math.Max(longestSource, sources[i]), t = Math.Max(longestTarget, targets[i]);
            if (rows > 0 && (rows + 1) * (s + t) > 400)
            {
                padded += rows * (longestSource + longestTarget);
                (rows, s, t) = (0, sources[i], targets[i]);
            }
            (rows, longestSource, longestTarget) = (rows + 1, s, t);
        }
        padded += rows * (longestSource + longestTarget);
        var unsorted = 1 - real / padded;
        Assert.True(bucketed < unsorted / 2, $"padding {bucketed:P1} with buckets vs {unsorted:P1} without");
    }

    [Theory]
    [InlineData(20, 0, "the train split, example 1: source 15 + target 10 tokens, more than max_tokens 20")]
    [InlineData(100, 12, "the train split, example 1: source 15 + target 10 tokens, longer than max_length 12")]
    public void An_example_that_cannot_fit_alone_is_an_error_or_skipped_and_counted(int maxTokens, int maxLength, string message)
    {
        int[] sources = [3, 15, 4, 2], targets = [3, 10, 4, 9];
        var options = new TokenBudgetOptions { MaxTokens = maxTokens, MaxLength = maxLength };
        var e = Assert.Throws<DataFormatException>(() => new TokenBudgetBatcher(sources, targets, options, "the train split"));
        Assert.StartsWith(message + " — expected every example to fit alone", e.Message);

        var skipping = new TokenBudgetBatcher(sources, targets, options with { Oversized = OversizedPolicy.Skip });
        Assert.Equal(1, skipping.Skipped);
        Assert.Equal(3, skipping.Count);
        Assert.Equal(new long[] { 0, 2, 3 }, skipping.Plan(0).SelectMany(b => b).Order());
    }

    [Theory]
    [InlineData(0, 1, 1, "data.max_tokens: 0 — expected a positive number of tokens per batch")]
    [InlineData(10, -1, 1, "data.max_rows: -1 — expected 0 (no limit) or a positive number of rows")]
    [InlineData(10, 0, 0, "data.shuffle_chunk: 0 — expected a positive number of examples")]
    public void Invalid_options_name_the_key(int maxTokens, int maxRows, int chunk, string message)
    {
        var e = Assert.Throws<ConfigException>(() => new TokenBudgetBatcher([1], null, new TokenBudgetOptions { MaxTokens = maxTokens, MaxRows = maxRows, ShuffleChunk = chunk }));
        Assert.Equal(message, e.Message);
    }
}
