// Values of nn.functional on tensors: softmax, log_softmax, layer_norm, losses, activations, dropout.
// Expected values come from PyTorch 1.13 (float32, printed to 9 significant digits) where noted.
namespace Transformer.Torch.Tests;

public class TensorFunctionalTests
{
    private static readonly float[,] XData = { { 1, 2, 3 }, { -1, 0, 4 } };
    private static readonly float[,] LogitsData = { { 2, 1, 0.1f }, { 0.5f, 2.5f, 0.3f }, { 1, 1, 1 }, { 0, -1, 3 } };

    [Fact]
    public void Softmax_normalises_along_the_given_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(XData);
        TensorAssert.Close(new[] { 0.0900305733, 0.244728476, 0.665240943, 0.00657326262, 0.0178679805, 0.975558698 }, nn.functional.softmax(x, 1));
        TensorAssert.Close(new[] { 0.880797029, 0.880797029, 0.268941432, 0.119202919, 0.119202919, 0.731058598 }, nn.functional.softmax(x, 0));
        TensorAssert.Close(new[] { 1.0, 1.0 }, nn.functional.softmax(x, -1).sum(-1));
        Assert.Equal(ScalarType.Float64, nn.functional.softmax(x, 1, float64).dtype);
        // Large logits do not overflow: softmax subtracts the maximum.
        TensorAssert.Close(new[] { 0.5, 0.5 }, nn.functional.softmax(tensor(new[] { 1000f, 1000f }), 0));
        // A fully masked row gives NaN, as in PyTorch.
        Assert.All(nn.functional.softmax(full(new long[] { 2 }, float.NegativeInfinity), 0).data<float>(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Log_softmax_is_the_log_of_softmax_computed_stably()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(XData);
        TensorAssert.Close(new[] { -2.40760589, -1.40760589, -0.407605946, -5.02474499, -4.02474499, -0.0247449242 }, nn.functional.log_softmax(x, 1));
        TensorAssert.Close(new[] { -1000.0, 0.0 }, nn.functional.log_softmax(tensor(new[] { 0f, 1000f }), 0));
        Assert.Equal(ScalarType.Float64, nn.functional.log_softmax(x, 1, float64).dtype);
    }

    [Fact]
    public void Layer_norm_normalises_the_trailing_dimensions_then_scales_and_shifts()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(XData);
        TensorAssert.Close(new[] { -1.22473562, 0.0, 1.22473562, -0.925819099, -0.462909549, 1.38872862 }, nn.functional.layer_norm(x, new long[] { 3 }));
        var w = tensor(new float[] { 1, 2, 0.5f });
        var b = tensor(new float[] { 0, 1, -1 });
        TensorAssert.Close(new[] { -1.22473562, 1.0, -0.387632191, -0.925819099, 0.0741809011, -0.305635691 }, nn.functional.layer_norm(x, new long[] { 3 }, w, b));
        // Over both dimensions: mean 1.5, biased variance 35/12 → (x − 1.5) / sqrt(35/12 + 1e-5).
        var whole = nn.functional.layer_norm(x, new long[] { 2, 3 });
        var sd = Math.Sqrt(35.0 / 12 + 1e-5);
        TensorAssert.Close(new[] { -0.5, 0.5, 1.5, -2.5, -1.5, 2.5 }.Select(v => v / sd).ToArray(), whole);
        var e = Assert.Throws<TorchException>(() => nn.functional.layer_norm(x, new long[] { 4 }));
        Assert.Contains("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]", e.Message);
    }

    [Fact]
    public void Cross_entropy_matches_pytorch_for_each_reduction()
    {
        using var scope = torch.NewDisposeScope();
        var logits = tensor(LogitsData);
        var target = tensor(new long[] { 0, 1, 2, -100 });
        TensorAssert.Close(new[] { 0.578563929 }, nn.functional.cross_entropy(logits, target));
        TensorAssert.Close(new[] { 1.73569179 }, nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum));
        TensorAssert.Close(new[] { 0.417029947, 0.22004953, 1.09861231, 0.0 }, nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.None));
        Assert.Equal(0, nn.functional.cross_entropy(logits, target).dim());
    }

    [Fact]
    public void Cross_entropy_with_label_smoothing_matches_pytorch_for_each_reduction()
    {
        using var scope = torch.NewDisposeScope();
        var logits = tensor(LogitsData);
        var target = tensor(new long[] { 0, 1, 2, -100 });
        TensorAssert.Close(new[] { 0.657452822 }, nn.functional.cross_entropy(logits, target, label_smoothing: 0.1));
        TensorAssert.Close(new[] { 1.97235847 }, nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.Sum, label_smoothing: 0.1));
        TensorAssert.Close(new[] { 0.513696611, 0.360049546, 1.09861231, 0.0 },
            nn.functional.cross_entropy(logits, target, reduction: nn.Reduction.None, label_smoothing: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.functional.cross_entropy(logits, target, label_smoothing: 1.5));
    }

    [Fact]
    public void Cross_entropy_honours_class_weights_and_a_custom_ignore_index()
    {
        using var scope = torch.NewDisposeScope();
        var logits = tensor(LogitsData);
        var target = tensor(new long[] { 0, 1, 2, -100 });
        var weight = tensor(new float[] { 1, 2, 0.5f });
        TensorAssert.Close(new[] { 0.401838601 }, nn.functional.cross_entropy(logits, target, weight));
        TensorAssert.Close(new[] { 0.552421808 }, nn.functional.cross_entropy(logits, target, weight, label_smoothing: 0.2));
        TensorAssert.Close(new[] { 0.757821143 }, nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 1 }), ignore_index: 1));
        var e = Assert.Throws<TorchException>(() => nn.functional.cross_entropy(logits, tensor(new long[] { 0, 3, 1, 1 })));
        Assert.Contains("Target 3 is out of bounds.", e.Message);
    }

    [Fact]
    public void Cross_entropy_with_every_target_ignored_is_nan_under_mean_and_zero_under_sum()
    {
        using var scope = torch.NewDisposeScope();
        var logits = tensor(LogitsData);
        var ignored = full(new long[] { 4 }, -100L);
        Assert.True(float.IsNaN(nn.functional.cross_entropy(logits, ignored).item<float>()));
        Assert.Equal(0f, nn.functional.cross_entropy(logits, ignored, reduction: nn.Reduction.Sum).item<float>());
    }

    [Fact]
    public void Nll_loss_averages_the_negated_picked_log_probabilities()
    {
        using var scope = torch.NewDisposeScope();
        var logits = tensor(LogitsData);
        var target = tensor(new long[] { 0, 1, 2, 1 });
        TensorAssert.Close(new[] { 1.45039392 }, nn.functional.nll_loss(nn.functional.log_softmax(logits, 1), target));
        // Picked entries 2, 2.5, 1, −1 → −(2 + 2.5 + 1 − 1) = −4.5.
        TensorAssert.Close(new[] { -4.5 }, nn.functional.nll_loss(logits, target, reduction: nn.Reduction.Sum));
        TensorAssert.Close(new[] { -2, -2.5, -1, 1.0 }, nn.functional.nll_loss(logits, target, reduction: nn.Reduction.None));
        TensorAssert.Close(new[] { -1.5 }, nn.functional.nll_loss(logits, target, ignore_index: 1)); // −(2 + 1) / 2
        // Sequences: (N, C, T) against (N, T).
        var seq = logits.t().unsqueeze(0);
        TensorAssert.Close(new[] { -4.5 / 4 }, nn.functional.nll_loss(seq, target.unsqueeze(0)));
    }

    [Fact]
    public void Activations_from_functional_match_the_tensor_methods()
    {
        using var scope = torch.NewDisposeScope();
        var g = tensor(new[] { -3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f });
        TensorAssert.Close(new[] { -0.00404986739, -0.158655286, -0.154268786, 0.0, 0.345731199, 0.841344714, 2.99595022 }, nn.functional.gelu(g));
        TensorAssert.Close(new[] { -0.00363743305, -0.158807993, -0.154285997, 0.0, 0.345714003, 0.841192007, 2.99636269 }, nn.functional.gelu(g, true));
        TensorAssert.Close(new[] { -0.142277613, -0.268941432, -0.188770339, 0.0, 0.311229676, 0.731058598, 2.85772252 }, nn.functional.silu(g));
        TensorAssert.Close(new[] { 0, 0, 0, 0, 0.5, 1, 3.0 }, nn.functional.relu(g));
        TensorAssert.Close(new[] { 0.0474258736, 0.268941432, 0.377540678, 0.5, 0.622459352, 0.731058598, 0.952574134 }, nn.functional.sigmoid(g));
        TensorAssert.Close(new[] { -0.995054781, -0.761594176, -0.462117165, 0.0, 0.462117165, 0.761594176, 0.995054781 }, nn.functional.tanh(g));
    }

    [Fact]
    public void Mse_loss_is_the_mean_squared_difference()
    {
        using var scope = torch.NewDisposeScope();
        TensorAssert.Close(new[] { (1 + 4 + 0.25) / 3 }, nn.functional.mse_loss(tensor(new[] { 1f, 2f, 3f }), tensor(new[] { 0f, 0f, 3.5f })));
    }

    [Fact]
    public void Dropout_is_the_identity_when_p_is_zero_or_not_training()
    {
        using var scope = torch.NewDisposeScope();
        var x = randn(8, 8);
        Assert.True(nn.functional.dropout(x, 0.0).equal(x));
        Assert.True(nn.functional.dropout(x, 0.7, training: false).equal(x));
        Assert.True(nn.functional.dropout(x, 1.0).equal(zeros(8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.functional.dropout(x, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.functional.dropout(x, -0.1));
    }

    [Fact]
    public void Dropout_zeroes_some_elements_and_scales_the_others()
    {
        using var scope = torch.NewDisposeScope();
        var x = ones(100, 100);
        var y = nn.functional.dropout(x, 0.2);
        var values = y.data<float>();
        Assert.All(values, v => Assert.True(v == 0f || v == 1.25f, $"unexpected value {v}"));
        var kept = values.Count(v => v != 0) / 10000.0;
        Assert.InRange(kept, 0.78, 0.82); // 10000 Bernoulli(0.8) draws: ±5σ = ±0.02
        Assert.Equal(ScalarType.BFloat16, nn.functional.dropout(ones(new long[] { 4 }, bfloat16), 0.5).dtype);
        // As in PyTorch 1.13, CPU dropout has no float16 kernel.
        var e = Assert.Throws<TorchException>(() => nn.functional.dropout(ones(new long[] { 4 }, float16), 0.5));
        Assert.Contains("\"bernoulli_scalar_cpu_\" not implemented for 'Half'", e.Message);
    }
}
