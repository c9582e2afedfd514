// The fused CPU kernels (fused_dropout, fused_cross_entropy) against independent truth: hand math, the ATen
// operators they replace, and the statistics a dropout mask must have.
namespace Transformer.Torch.Tests;

public class FusedKernelTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Fused_dropout_zeroes_with_probability_p_independently_and_scales_the_rest(double p)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int n = 1_000_001; // odd: the last element comes from a half-used random word
        var x = rand(n).add_(0.5);
        var y = nn.functional.fused_dropout(x, p).data<float>();
        var xs = x.data<float>();
        var scale = (float)(1 / (1 - p));
        long dropped = 0, bothDropped = 0;
        for (var i = 0; i < n; i++)
        {
            Assert.True(y[i] == 0f || y[i] == xs[i] * scale, $"element {i}: {y[i]} is neither 0 nor x/(1-p)");
            if (y[i] != 0) continue;
            dropped++;
            if (i > 0 && y[i - 1] == 0) bothDropped++;
        }
        var sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(dropped / (double)n, p - 5 * sigma, p + 5 * sigma);
        // Neighbours (the two halves of one random word, and across words) are independent: P(both) = p².
        var pairSigma = Math.Sqrt(p * p * (1 - p * p) / n);
        Assert.InRange(bothDropped / (double)(n - 1), p * p - 5 * pairSigma, p * p + 5 * pairSigma);
    }

    [Fact]
    public void Fused_dropout_backward_passes_the_gradient_through_kept_elements_only()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = (rand(3, 257) + 1).requires_grad_();
        var upstream = randn(3, 257);
        var y = nn.functional.fused_dropout(x, 0.3);
        y.backward(upstream);
        var kept = y.detach().ne(0);
        var expected = upstream * kept.to(float32) * (float)(1 / 0.7);
        Assert.True(x.grad!.equal(expected));
        Assert.InRange(kept.to(float32).mean().item<float>(), 0.6f, 0.8f);
    }

    [Fact]
    public void Fused_dropout_masks_follow_the_seed_and_the_generator_state()
    {
        using var scope = NewDisposeScope();
        var x = ones(64, 33);
        manual_seed(5);
        var first = nn.functional.fused_dropout(x, 0.5);
        var state = get_rng_state();
        var second = nn.functional.fused_dropout(x, 0.5);
        Assert.False(first.equal(second));
        manual_seed(5);
        Assert.True(nn.functional.fused_dropout(x, 0.5).equal(first));
        set_rng_state(state);
        Assert.True(nn.functional.fused_dropout(x, 0.5).equal(second));
        // A non-contiguous input gets the mask of its contiguous copy.
        var t = randn(33, 64).t();
        manual_seed(9);
        var fromView = nn.functional.fused_dropout(t, 0.2);
        manual_seed(9);
        Assert.True(fromView.equal(nn.functional.fused_dropout(t.contiguous(), 0.2)));
    }

    [Fact]
    public void Fused_dropout_edge_cases_match_dropout()
    {
        using var scope = NewDisposeScope();
        var x = randn(8, 8);
        Assert.True(nn.functional.fused_dropout(x, 0.0).equal(x));
        Assert.True(nn.functional.fused_dropout(x, 0.7, training: false).equal(x));
        Assert.True(nn.functional.fused_dropout(x, 1.0).equal(zeros(8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.functional.fused_dropout(x, 1.5));
        // NaN and infinity propagate through dropped elements as in x * mask.
        var special = tensor(new[] { float.NaN, float.PositiveInfinity }).expand(1000, 2).contiguous();
        var y = nn.functional.fused_dropout(special, 0.5).data<float>();
        Assert.All(y.Where((_, i) => i % 2 == 0), v => Assert.True(float.IsNaN(v)));
        Assert.Contains(y.Where((_, i) => i % 2 == 1), float.IsNaN); // inf · 0
        // float64 is fused too; bfloat16 falls back to ATen's dropout.
        Assert.Equal(ScalarType.Float64, nn.functional.fused_dropout(ones(new long[] { 10 }, float64), 0.5).dtype);
        Assert.Equal(ScalarType.BFloat16, nn.functional.fused_dropout(ones(new long[] { 4 }, bfloat16), 0.5).dtype);
    }

    [Fact]
    public void Fused_cross_entropy_matches_hand_math()
    {
        using var scope = NewDisposeScope();
        // logits [1, 2, 3], target 2, ε = 0.1: lse − 0.9·3 − (0.1/3)·(1 + 2 + 3), lse = 3 + log(1 + e⁻¹ + e⁻²).
        var logits = tensor(new[] { 1f, 2f, 3f }, new long[] { 1, 3 }).requires_grad_();
        var loss = nn.functional.fused_cross_entropy(logits, tensor(new long[] { 2 }), out var tokens, out var correct, label_smoothing: 0.1);
        var lse = 3 + Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(lse - 0.9 * 3 - 0.1 / 3 * 6, loss.item<float>(), 1e-6);
        Assert.Equal((1L, 1L), (tokens, correct));
        loss.backward();
        // ∂/∂x_j = softmax_j − 0.9·[j = 2] − 0.1/3.
        var expected = new[] { 1, 2, 3 }.Select((v, j) => Math.Exp(v - lse) - (j == 2 ? 0.9 : 0) - 0.1 / 3).ToArray();
        TensorAssert.Close(expected, logits.grad!);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(5, 0.1)]
    [InlineData(8, 0.0)]
    [InlineData(8003, 0.1)]
    [InlineData(8003, 1.0)]
    public void Fused_cross_entropy_equals_cross_entropy_with_ignored_targets(int classes, double smoothing)
    {
        using var scope = NewDisposeScope();
        manual_seed(classes);
        const int rows = 37, pad = -100;
        var logits = (randn(rows, classes) * 4).requires_grad_();
        var target = randint(0, classes, new long[] { rows });
        target[3] = tensor(pad);
        var loss = nn.functional.fused_cross_entropy(logits, target, out var tokens, out var correct, pad, smoothing);
        loss.backward();
        var fusedGrad = logits.grad!.clone();
        logits.grad = null;
        var reference = nn.functional.cross_entropy(logits, target, ignore_index: pad, label_smoothing: smoothing);
        reference.backward();
        Assert.Equal(reference.item<float>(), loss.item<float>(), 1e-5 * Math.Max(1, Math.Abs(reference.item<float>())));
        Assert.True((fusedGrad - logits.grad!).abs().max().item<float>() <= 1e-6f, "gradients differ");
        var real = target.ne(pad);
        Assert.Equal(real.sum().item<long>(), tokens);
        Assert.Equal((logits.argmax(-1).eq(target) & real).sum().item<long>(), correct);
    }

    [Fact]
    public void Fused_cross_entropy_edge_cases()
    {
        using var scope = NewDisposeScope();
        // Huge logits stay finite (log-sum-exp subtracts the maximum) and equal the reference.
        var big = tensor(new[] { 1e4f, -1e4f, 9990f, 0f, 30000f, 29999f }, new long[] { 2, 3 });
        var target = tensor(new long[] { 2, 1 });
        var loss = nn.functional.fused_cross_entropy(big, target, out _, out var correct, label_smoothing: 0.1);
        Assert.Equal(nn.functional.cross_entropy(big, target, label_smoothing: 0.1).item<float>(), loss.item<float>(), 1e-2);
        Assert.Equal(1L, correct); // row 2's argmax (30000) is its target
        // Ties: the first maximal class is the prediction, as torch.argmax.
        nn.functional.fused_cross_entropy(zeros(2, 4), tensor(new long[] { 0, 1 }), out _, out correct);
        Assert.Equal(1L, correct);
        // Every target ignored: NaN loss (0 / 0, as PyTorch) and a zero gradient.
        var logits = randn(3, 4).requires_grad_();
        var nan = nn.functional.fused_cross_entropy(logits, full(new long[] { 3 }, -100L), out var tokens, out _);
        Assert.True(float.IsNaN(nan.item<float>()));
        Assert.Equal(0L, tokens);
        nan.backward();
        Assert.Equal(0f, logits.grad!.abs().sum().item<float>());
        // A NaN logit makes the loss NaN.
        var poisoned = tensor(new[] { 1f, float.NaN, 0f }, new long[] { 1, 3 });
        Assert.True(float.IsNaN(nn.functional.fused_cross_entropy(poisoned, tensor(new long[] { 0 }), out _, out _).item<float>()));
        // Out-of-range targets and bad shapes are errors, not crashes.
        Assert.Contains("out of bounds", Assert.Throws<TorchException>(() =>
            nn.functional.fused_cross_entropy(randn(2, 3), tensor(new long[] { 0, 3 }), out _, out _)).Message);
        Assert.Contains("expects logits (N, C)", Assert.Throws<TorchException>(() =>
            nn.functional.fused_cross_entropy(randn(2, 3, 4), tensor(new long[] { 0, 1 }), out _, out _)).Message);
        // float64 logits take ATen's path: identical to cross_entropy.
        var doubles = randn(new long[] { 5, 6 }, float64);
        var labels = tensor(new long[] { 0, 1, 2, 3, 4 });
        Assert.Equal(nn.functional.cross_entropy(doubles, labels, label_smoothing: 0.2).item<double>(),
            nn.functional.fused_cross_entropy(doubles, labels, out _, out _, label_smoothing: 0.2).item<double>());
    }
}
