// The fused CPU kernels (Fused.dropout, Fused.cross_entropy, FusedAdamW) against independent truth: hand math,
// the libtorch operators and TorchSharp optimizer they replace, and the statistics a dropout mask must have.
using TorchSharp;
using TorchSharp.Modules;
using Transformer.Engine;
using static TorchSharp.torch;

namespace Transformer.Tests;

public sealed class FusedKernelTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Dropout_zeroes_with_probability_p_independently_and_scales_the_rest(double p)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int n = 1_000_001; // odd: the last element comes from a half-used random word
        var x = rand(n).add_(0.5);
        var y = Fused.dropout(x, p, training: true).data<float>().ToArray();
        var xs = x.data<float>().ToArray();
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
    public void Dropout_backward_passes_the_gradient_through_kept_elements_only()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = (rand(3, 257) + 1).requires_grad_();
        var upstream = randn(3, 257);
        var y = Fused.dropout(x, 0.3, training: true);
        y.backward([upstream]);
        var kept = y.detach().ne(0);
        var expected = upstream * kept.to(float32) * (float)(1 / 0.7);
        Assert.True(x.grad!.Equals(expected));
        Assert.InRange(kept.to(float32).mean().item<float>(), 0.6f, 0.8f);
    }

    [Fact]
    public void Dropout_masks_follow_the_seed_and_the_generator_state()
    {
        using var scope = NewDisposeScope();
        var x = ones(64, 33);
        manual_seed(5);
        var first = Fused.dropout(x, 0.5, training: true);
        var state = get_rng_state();
        var second = Fused.dropout(x, 0.5, training: true);
        Assert.False(first.Equals(second));
        manual_seed(5);
        Assert.True(Fused.dropout(x, 0.5, training: true).Equals(first));
        set_rng_state(state);
        Assert.True(Fused.dropout(x, 0.5, training: true).Equals(second));
        // With or without autograd the same draw makes the same mask.
        manual_seed(5);
        Assert.True(Fused.dropout(x.clone().requires_grad_(), 0.5, training: true).detach().Equals(first));
        // A non-contiguous input gets the mask of its contiguous copy, and its gradient reaches the view.
        var source = randn(33, 64).requires_grad_();
        var view = source.t();
        manual_seed(9);
        var fromView = Fused.dropout(view, 0.2, training: true);
        manual_seed(9);
        Assert.True(fromView.Equals(Fused.dropout(view.contiguous(), 0.2, training: true)));
        fromView.sum().backward();
        Assert.True(source.grad!.t().ne(0).Equals(fromView.detach().ne(0)));
    }

    [Fact]
    public void Dropout_masks_do_not_depend_on_the_thread_count()
    {
        using var scope = NewDisposeScope();
        var threads = get_num_threads();
        try
        {
            var x = ones(1_000_003);
            set_num_threads(1);
            manual_seed(21);
            var one = Fused.dropout(x, 0.25, training: true);
            set_num_threads(Math.Max(2, Environment.ProcessorCount));
            manual_seed(21);
            Assert.True(Fused.dropout(x, 0.25, training: true).Equals(one));
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Dropout_edge_cases_match_dropout()
    {
        using var scope = NewDisposeScope();
        var x = randn(8, 8);
        Assert.True(Fused.dropout(x, 0.0, training: true).Equals(x));
        Assert.True(Fused.dropout(x, 0.7, training: false).Equals(x));
        Assert.True(Fused.dropout(x, 1.0, training: true).Equals(zeros(8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fused.dropout(x, 1.5, training: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fused.dropout(x, -0.1, training: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fused.dropout(x, double.NaN, training: false));
        // NaN and infinity propagate through dropped elements as in x * mask.
        var special = tensor(new[] { float.NaN, float.PositiveInfinity }).expand(1000, 2).contiguous();
        var y = Fused.dropout(special, 0.5, training: true).data<float>().ToArray();
        Assert.All(y.Where((_, i) => i % 2 == 0), v => Assert.True(float.IsNaN(v)));
        Assert.Contains(y.Where((_, i) => i % 2 == 1), float.IsNaN); // inf · 0
        Assert.Contains(y.Where((_, i) => i % 2 == 1), float.IsPositiveInfinity);
        // Other dtypes take libtorch's dropout; an empty tensor stays empty.
        Assert.Equal(ScalarType.Float64, Fused.dropout(ones(new long[] { 10 }, float64), 0.5, training: true).dtype);
        Assert.Equal(ScalarType.BFloat16, Fused.dropout(ones(new long[] { 4 }, bfloat16), 0.5, training: true).dtype);
        Assert.Equal(0, Fused.dropout(ones(0, 5), 0.5, training: true).numel());
    }

    [Fact]
    public void Cross_entropy_matches_hand_math()
    {
        using var scope = NewDisposeScope();
        // logits [1, 2, 3], target 2, ε = 0.1: lse − 0.9·3 − (0.1/3)·(1 + 2 + 3), lse = 3 + log(1 + e⁻¹ + e⁻²).
        var logits = tensor(new[] { 1f, 2f, 3f }, new long[] { 1, 3 }).requires_grad_();
        var loss = Fused.cross_entropy(logits, tensor(new long[] { 2 }), out var tokens, out var correct, label_smoothing: 0.1);
        var lse = 3 + Math.Log(1 + Math.Exp(-1) + Math.Exp(-2));
        Assert.Equal(lse - 0.9 * 3 - 0.1 / 3 * 6, loss.item<float>(), 1e-6);
        Assert.Equal((1L, 1L), (tokens, correct));
        loss.backward();
        // ∂/∂x_j = softmax_j − 0.9·[j = 2] − 0.1/3.
        var expected = new[] { 1, 2, 3 }.Select((v, j) => Math.Exp(v - lse) - (j == 2 ? 0.9 : 0) - 0.1 / 3).ToArray();
        AssertClose(expected, logits.grad!, 1e-6);
    }

    [Fact]
    public void Cross_entropy_counts_tokens_and_argmax_hits_by_hand()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new[]
        {
            0f, 5f, 1f, // argmax 1, target 1: hit
            2f, 2f, 0f, // tie: argmax is the first maximum, 0; target 1: miss
            9f, 0f, 0f, // target ignored
            0f, 0f, 3f, // argmax 2, target 2: hit
        }, new long[] { 4, 3 });
        Fused.cross_entropy(logits, tensor(new long[] { 1, 1, -1, 2 }), out var tokens, out var correct, ignore_index: -1);
        Assert.Equal((3L, 2L), (tokens, correct));
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(5, 0.1)]
    [InlineData(16, 0.0)]
    [InlineData(37, 0.3)]
    [InlineData(8003, 0.0)]
    [InlineData(8003, 0.1)]
    [InlineData(8003, 1.0)]
    public void Cross_entropy_equals_libtorch_cross_entropy_with_ignored_targets(int classes, double smoothing)
    {
        using var scope = NewDisposeScope();
        manual_seed(classes);
        const int rows = 37, pad = -100;
        var logits = (randn(rows, classes) * 4).requires_grad_();
        var target = randint(0, classes, new long[] { rows });
        target[3] = tensor(pad);
        target[17] = tensor(pad);
        var loss = Fused.cross_entropy(logits, target, out var tokens, out var correct, pad, smoothing);
        (loss * 3).backward();
        var fusedGrad = logits.grad!.clone();
        logits.grad = null;
        var reference = nn.functional.cross_entropy(logits, target, ignore_index: pad, label_smoothing: smoothing);
        (reference * 3).backward();
        Assert.Equal(reference.item<float>(), loss.item<float>(), 2e-6 * Math.Max(1, Math.Abs(reference.item<float>())));
        Assert.True((fusedGrad - logits.grad!).abs().max().item<float>() <= 1e-6f, "gradients differ");
        Assert.Equal(0f, fusedGrad[3].abs().sum().item<float>());
        var real = target.ne(pad);
        Assert.Equal(rows - 2, tokens);
        Assert.Equal(real.sum().item<long>(), tokens);
        Assert.Equal((logits.argmax(-1).eq(target) & real).sum().item<long>(), correct);
    }

    [Fact]
    public void Cross_entropy_of_a_view_equals_that_of_its_copy_and_is_the_same_on_one_or_two_threads()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var source = randn(300, 64).requires_grad_();
        var view = source.t(); // (64, 300), not contiguous
        var target = randint(0, 300, new long[] { 64 });
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = Fused.cross_entropy(view, target, out _, out _, label_smoothing: 0.1).item<float>();
            set_num_threads(Math.Max(2, Environment.ProcessorCount));
            var loss = Fused.cross_entropy(view, target, out _, out _, label_smoothing: 0.1);
            Assert.Equal(one, loss.item<float>());
            loss.backward();
        }
        finally
        {
            set_num_threads(threads);
        }
        var fusedGrad = source.grad!.clone();
        source.grad = null;
        nn.functional.cross_entropy(view, target, label_smoothing: 0.1).backward();
        Assert.True((fusedGrad - source.grad!).abs().max().item<float>() <= 1e-6f, "gradients differ");
    }

    [Fact]
    public void Cross_entropy_edge_cases()
    {
        using var scope = NewDisposeScope();
        // Huge logits stay finite (log-sum-exp subtracts the maximum) and equal the reference.
        var big = tensor(new[] { 1e4f, -1e4f, 9990f, 0f, 30000f, 29999f }, new long[] { 2, 3 });
        var target = tensor(new long[] { 2, 1 });
        var loss = Fused.cross_entropy(big, target, out _, out var correct, label_smoothing: 0.1);
        Assert.Equal(nn.functional.cross_entropy(big, target, label_smoothing: 0.1).item<float>(), loss.item<float>(), 1e-2);
        Assert.Equal(1L, correct); // row 2's argmax (30000) is its target
        // Ties: the first maximal class is the prediction, as torch.argmax.
        Fused.cross_entropy(zeros(2, 40), tensor(new long[] { 0, 1 }), out _, out correct);
        Assert.Equal(1L, correct);
        // Every target ignored: NaN loss (0 / 0, as PyTorch) and a zero gradient.
        var logits = randn(3, 4).requires_grad_();
        var nan = Fused.cross_entropy(logits, full(new long[] { 3 }, -100L), out var tokens, out _);
        Assert.True(float.IsNaN(nan.item<float>()));
        Assert.Equal(0L, tokens);
        nan.backward();
        Assert.Equal(0f, logits.grad!.abs().sum().item<float>());
        // A NaN logit makes the loss NaN and is the row's argmax (torch.argmax takes NaN as the maximum).
        var poisoned = cat([randn(1, 40), tensor(new[] { 1f, float.NaN, 0f }).expand(1, 3)], 1);
        Assert.True(float.IsNaN(Fused.cross_entropy(poisoned, tensor(new long[] { 41 }), out _, out correct).item<float>()));
        Assert.Equal(1L, correct);
        // Masked classes (-inf logits) without smoothing leave the loss finite and their gradient exactly zero.
        var masked = randn(2, 48);
        masked[.., 5] = tensor(float.NegativeInfinity);
        masked.requires_grad_();
        var maskedLoss = Fused.cross_entropy(masked, tensor(new long[] { 0, 7 }), out _, out _);
        Assert.Equal(nn.functional.cross_entropy(masked, tensor(new long[] { 0, 7 })).item<float>(), maskedLoss.item<float>(), 1e-5);
        maskedLoss.backward();
        Assert.Equal(0f, masked.grad![.., 5].abs().sum().item<float>());
        // An out-of-range target is an error, not a crash.
        Assert.Contains("out of bounds", Assert.Throws<ArgumentException>(() =>
            Fused.cross_entropy(randn(2, 3), tensor(new long[] { 0, 3 }), out _, out _)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Fused.cross_entropy(randn(2, 3), tensor(new long[] { 0, 1 }), out _, out _, label_smoothing: 1.5));
        // float64 logits take libtorch's path: identical to cross_entropy.
        var doubles = randn(new long[] { 5, 6 }, float64);
        var labels = tensor(new long[] { 0, 1, 2, 3, 4 });
        Assert.Equal(nn.functional.cross_entropy(doubles, labels, label_smoothing: 0.2).item<double>(),
            Fused.cross_entropy(doubles, labels, out tokens, out _, label_smoothing: 0.2).item<double>());
        Assert.Equal(5L, tokens);
    }

    [Fact]
    public void One_FusedAdamW_step_matches_the_closed_form_update()
    {
        using var scope = NewDisposeScope();
        double lr = 0.01, wd = 0.1, eps = 1e-8;
        var p0 = new[] { 0.5f, -1.25f, 2f };
        var g = new[] { 0.1f, -3f, 1e-3f };
        using var p = new Parameter(tensor(p0));
        using var optimizer = new FusedAdamW([p], lr: lr, weight_decay: wd, eps: eps);
        p.grad = tensor(g);
        optimizer.step();
        // Step 1: m̂ = g, v̂ = g², so p ← p·(1 − lr·wd) − lr·g / (|g| + ε).
        var expected = p0.Select((v, i) => v * (1 - lr * wd) - lr * g[i] / (Math.Abs(g[i]) + eps)).ToArray();
        AssertClose(expected, p, 1e-6);
        var state = Assert.IsType<AdamW.State>(Assert.Single(optimizer.state_dict().State));
        Assert.Equal(1L, state.step);
        AssertClose(g.Select(v => 0.1 * v).ToArray(), state.exp_avg, 1e-6, relative: true);
        AssertClose(g.Select(v => 0.001 * v * v).ToArray(), state.exp_avg_sq, 1e-6, relative: true);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void FusedAdamW_equals_TorchSharps_AdamW_over_steps_with_groups_and_learning_rate_changes(bool amsgrad, bool maximize)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        long[][] shapes = [[37, 65], [70_001], [3], [16, 16]];
        var starts = shapes.Select(s => randn(s)).ToArray();
        const int steps = 7;
        var grads = Enumerable.Range(0, steps).Select(_ => shapes.Select(s => randn(s)).ToArray()).ToArray();
        double[] lrs = [1e-3, 2e-3, 5e-3, 5e-3, 1e-3, 3e-4, 1e-4];

        (Parameter[] Parameters, OptimizerHelper Optimizer) Make(bool fused)
        {
            var ps = starts.Select(s => new Parameter(s.clone())).ToArray();
            // Two groups: decayed matrices and undecayed vectors, as a trainer sets them up.
            AdamW.ParamGroup[] groups =
            [
                new([ps[0], ps[3]], new AdamW.Options { weight_decay = 0.1 }),
                new([ps[1], ps[2]], new AdamW.Options { weight_decay = 0.0, LearningRate = 1e-2 }),
            ];
            OptimizerHelper optimizer = fused
                ? new FusedAdamW(groups, lr: 1e-3, beta1: 0.8, beta2: 0.99, amsgrad: amsgrad, maximize: maximize)
                : new AdamW(groups, lr: 1e-3, beta1: 0.8, beta2: 0.99, amsgrad: amsgrad, maximize: maximize);
            return (ps, optimizer);
        }

        var (reference, plain) = Make(fused: false);
        var (fusedParameters, fused) = Make(fused: true);
        using (plain)
        using (fused)
        {
            for (var s = 0; s < steps; s++)
            {
                foreach (var optimizer in new[] { plain, fused })
                    foreach (var group in optimizer.ParamGroups)
                        group.LearningRate = lrs[s] * (group == optimizer.ParamGroups.Last() ? 10 : 1);
                for (var k = 0; k < shapes.Length; k++)
                {
                    // The bias has no gradient on odd steps: both skip it (and its step count).
                    var grad = k == 2 && s % 2 == 1 ? null : grads[s][k];
                    reference[k].grad = grad?.clone();
                    fusedParameters[k].grad = grad?.clone();
                }
                plain.step();
                fused.step();
            }
            for (var k = 0; k < shapes.Length; k++)
            {
                Assert.False(fusedParameters[k].Equals(starts[k]));
                AssertClose(reference[k], fusedParameters[k], 1e-6);
            }
            var expectedStates = plain.state_dict().State.Cast<AdamW.State>().ToArray();
            var fusedStates = fused.state_dict().State.Select(Assert.IsType<AdamW.State>).ToArray();
            Assert.Equal(expectedStates.Select(st => st.step), fusedStates.Select(st => st.step));
            // state_dict lists the states group by group: [0], [3], then [1], [2].
            Assert.Equal(new long[] { steps, steps, steps, (steps + 1) / 2 }, fusedStates.Select(st => st.step));
            for (var k = 0; k < shapes.Length; k++)
            {
                AssertClose(expectedStates[k].exp_avg, fusedStates[k].exp_avg, 1e-6);
                AssertClose(expectedStates[k].exp_avg_sq, fusedStates[k].exp_avg_sq, 1e-6);
                Assert.Equal(amsgrad, fusedStates[k].max_exp_avg_sq is not null);
            }
        }
        foreach (var p in reference.Concat(fusedParameters)) p.Dispose();
    }

    [Fact]
    public void FusedAdamW_state_dict_loads_into_plain_AdamW_and_back()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var start = randn(4099);
        var grads = Enumerable.Range(0, 4).Select(_ => randn(4099)).ToArray();
        using var a = new Parameter(start.clone());
        using var b = new Parameter(start.clone());
        using var fused = new FusedAdamW([a], lr: 0.01, weight_decay: 0.05);
        using var plain = new AdamW([b], lr: 0.01, weight_decay: 0.05);
        a.grad = grads[0];
        fused.step();
        a.grad = grads[1];
        fused.step();
        // Hand the fused optimizer's state (and parameters) to plain AdamW, as a checkpoint does through state_dict().
        using (no_grad()) b.copy_(a);
        plain.load_state_dict(fused.state_dict());
        foreach (var (optimizer, parameter) in new (OptimizerHelper, Parameter)[] { (fused, a), (plain, b) })
        {
            parameter.grad = grads[2];
            optimizer.step();
            parameter.grad = grads[3];
            optimizer.step();
        }
        Assert.Equal(4L, ((AdamW.State)plain.state_dict().State[0]).step);
        AssertClose(b, a, 1e-6);
        // And back: a fused optimizer resumes from plain AdamW's state.
        using var c = new Parameter(b.detach().clone());
        using var resumed = new FusedAdamW([c], lr: 0.01, weight_decay: 0.05);
        resumed.load_state_dict(plain.state_dict());
        var resumedState = (AdamW.State)resumed.state_dict().State[0];
        Assert.Equal(4L, resumedState.step);
        Assert.True(((AdamW.State)plain.state_dict().State[0]).exp_avg_sq.Equals(resumedState.exp_avg_sq));
        // TorchSharp's binary format records the optimizer's type name: a fused stream reloads into FusedAdamW.
        var stream = new MemoryStream();
        resumed.save_state_dict(new BinaryWriter(stream));
        stream.Position = 0;
        using var d = new Parameter(c.detach().clone());
        using var reloaded = new FusedAdamW([d], lr: 0.01, weight_decay: 0.05);
        reloaded.load_state_dict(new BinaryReader(stream));
        Assert.True(resumedState.exp_avg.Equals(((AdamW.State)reloaded.state_dict().State[0]).exp_avg));
    }

    [Fact]
    public void FusedAdamW_runs_TorchSharps_exact_update_for_float64_parameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var start = randn(new long[] { 33 }, float64);
        var grads = Enumerable.Range(0, 3).Select(_ => randn(new long[] { 33 }, float64)).ToArray();
        double[] Train(bool fused)
        {
            using var p = new Parameter(start.clone());
            using OptimizerHelper optimizer = fused ? new FusedAdamW([p], lr: 0.01, weight_decay: 0.1) : new AdamW([p], lr: 0.01, weight_decay: 0.1);
            foreach (var grad in grads)
            {
                p.grad = grad;
                optimizer.step();
            }
            return p.data<double>().ToArray();
        }
        Assert.Equal(Train(fused: false), Train(fused: true));
    }

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|), or · |expected| when relative.</summary>
    private static void AssertClose(double[] expected, Tensor actual, double tolerance, bool relative = false)
    {
        var values = actual.detach().to(float64).data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * (relative ? Math.Abs(expected[i]) : Math.Max(1, Math.Abs(expected[i]))),
                $"[{i}] expected {expected[i]:R}, got {values[i]:R}");
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance) =>
        AssertClose(expected.detach().to(float64).data<double>().ToArray(), actual, tolerance);
}
