// Scaled dot-product attention and its masks against hand-computed values.
namespace Transformer.Tests;

public class AttentionTests
{
    [Fact]
    public void Scaled_dot_product_attention_matches_the_hand_computed_weighted_sum()
    {
        using var scope = NewDisposeScope();
        var q = tensor(new float[] { 1, 0, 0, 1 }, new long[] { 1, 1, 2, 2 });
        var k = tensor(new float[] { 1, 0, 0, 1 }, new long[] { 1, 1, 2, 2 });
        var v = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 1, 1, 2, 2 });
        var (output, weights) = Attention.ScaledDotProduct(q, k, v, null, 0, training: false, returnWeights: true);
        // scores = q kᵀ / √2 = [[1/√2, 0], [0, 1/√2]]; softmax rows: [a, 1−a] and [1−a, a] with a = e^(1/√2) / (e^(1/√2) + 1)
        var a = Math.Exp(1 / Math.Sqrt(2)) / (Math.Exp(1 / Math.Sqrt(2)) + 1);
        var expectedWeights = new[] { a, 1 - a, 1 - a, a };
        var expectedOutput = new[] { a * 1 + (1 - a) * 3, a * 2 + (1 - a) * 4, (1 - a) * 1 + a * 3, (1 - a) * 2 + a * 4 };
        Assert.Equal(expectedWeights, weights!.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-6));
        Assert.Equal(expectedOutput, output.data<float>().ToArray().Select(x => (double)x), new Tolerance(1e-6));
    }

    [Fact]
    public void A_masked_key_gets_zero_weight()
    {
        using var scope = NewDisposeScope();
        var q = randn(1, 1, 3, 4);
        var k = randn(1, 1, 3, 4);
        var v = randn(1, 1, 3, 4);
        var padding = tensor(new[] { false, true, false }, new long[] { 1, 3 });
        var mask = AttentionMask.KeyPadding(padding, ScalarType.Float32);
        var (_, weights) = Attention.ScaledDotProduct(q, k, v, mask, 0, false, returnWeights: true);
        Assert.All(weights![.., .., .., 1].data<float>().ToArray(), w => Assert.Equal(0f, w));
        Assert.All(weights.sum(-1).data<float>().ToArray(), s => Assert.Equal(1f, s, 1e-6f));
    }

    [Fact]
    public void The_causal_mask_blocks_exactly_the_future_positions_after_the_offset()
    {
        using var scope = NewDisposeScope();
        var mask = AttentionMask.Causal(2, 4, offset: 2, ScalarType.Float32, CPU);   // queries at positions 2 and 3
        var values = mask.data<float>().ToArray();
        Assert.Equal(new[] { 0f, 0f, 0f, float.NegativeInfinity, 0f, 0f, 0f, 0f }, values);
        Assert.Equal(new long[] { 1, 1, 2, 4 }, mask.shape);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
