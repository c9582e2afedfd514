using Transformer.Training.Metrics;

namespace Transformer.Tests;

public class MetricTokenAccumulatorTests
{
    [Fact]
    public void Loss_and_accuracy_are_token_weighted_over_batches()
    {
        // Batch 1: NLL 3.0 over 2 tokens, 1 correct; batch 2: NLL 1.0 over 6 tokens, 6 correct.
        // Loss = 4/8 (not the mean of 1.5 and 1/6), perplexity e^0.5, accuracy 7/8.
        var accumulator = new TokenMetricsAccumulator();
        accumulator.Add(3.0, tokens: 2, correctTokens: 1, sequences: 1, exactSequences: 0);
        accumulator.Add(1.0, tokens: 6, correctTokens: 6, sequences: 3, exactSequences: 3);
        var result = accumulator.Result;
        Assert.Equal(0.5, result.Loss, 1e-15);
        Assert.Equal(Math.Exp(0.5), result.Perplexity, 1e-15);
        Assert.Equal(7.0 / 8, result.TokenAccuracy);
        Assert.Equal(3.0 / 4, result.ExactMatch);
    }

    [Fact]
    public void A_uniform_model_has_the_vocabulary_size_as_perplexity()
    {
        var accumulator = new TokenMetricsAccumulator();
        accumulator.Add(5 * Math.Log(10), tokens: 5);
        Assert.Equal(10.0, accumulator.Result.Perplexity, 1e-12);
        Assert.Null(accumulator.Result.ExactMatch);
    }

    [Fact]
    public void Counting_matches_ignores_padding_targets()
    {
        // (B=3, T=4) with padding id 0; the last row is all padding and is not a sequence.
        long[] targets = [5, 6, 7, 0, /**/ 8, 9, 0, 0, /**/ 0, 0, 0, 0];
        long[] predicted = [5, 6, 7, 3, /**/ 8, 4, 0, 1, /**/ 2, 2, 2, 2];
        var counts = TokenMatchCounts.Count(predicted, targets, sequenceLength: 4, ignoreIndex: 0);
        Assert.Equal(new TokenMatchCounts(Tokens: 5, CorrectTokens: 4, Sequences: 2, ExactSequences: 1), counts);
    }

    [Fact]
    public void Empty_and_inconsistent_inputs_are_errors()
    {
        Assert.Equal("loss and accuracy are undefined: no target token was added",
            Assert.Throws<InvalidOperationException>(() => new TokenMetricsAccumulator().Result).Message);
        var accumulator = new TokenMetricsAccumulator();
        Assert.Throws<ArgumentException>(() => accumulator.Add(double.NaN, 1));
        Assert.Equal("correct tokens must be between 0 and the 2 tokens, got 3",
            Assert.Throws<ArgumentException>(() => accumulator.Add(1.0, 2, 3)).Message);
        Assert.Throws<ArgumentException>(() => accumulator.Add(1.0, 2, 1, sequences: 1, exactSequences: 2));
        Assert.Throws<ArgumentException>(() => TokenMatchCounts.Count([1, 2, 3], [1, 2, 3], 2, 0));
    }
}
