// Gradients of the neural-network functions the models use, against central finite differences.
namespace Transformer.Torch.Tests;

public class AutogradNnTests
{
    private static Tensor In(int seed, params long[] shape) => GradCheck.Input(seed, shape, -2, 2);

    [Fact]
    public void Softmax_has_correct_gradients_along_each_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 2, 3, 4);
        GradCheck.Check(a => nn.functional.softmax(a[0], -1), x);
        GradCheck.Check(a => nn.functional.softmax(a[0], 0), x);
        GradCheck.Check(a => nn.functional.softmax(a[0], 1), x);
    }

    [Fact]
    public void Log_softmax_has_correct_gradients_along_each_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(2, 2, 3, 4);
        GradCheck.Check(a => nn.functional.log_softmax(a[0], -1), x);
        GradCheck.Check(a => nn.functional.log_softmax(a[0], 1), x);
    }

    [Fact]
    public void Layer_norm_has_correct_gradients_for_input_weight_and_bias()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(a => nn.functional.layer_norm(a[0], new long[] { 4 }, a[1], a[2]), In(1, 2, 3, 4), In(2, 4), In(3, 4));
        GradCheck.Check(a => nn.functional.layer_norm(a[0], new long[] { 3, 4 }, a[1], a[2], 1e-3), In(4, 2, 3, 4), In(5, 3, 4), In(6, 3, 4));
        GradCheck.Check(a => nn.functional.layer_norm(a[0], new long[] { 4 }), In(7, 3, 4));
    }

    [Fact]
    public void Cross_entropy_has_correct_gradients_for_each_reduction()
    {
        using var scope = torch.NewDisposeScope();
        var target = tensor(new long[] { 2, 0, 3 });
        foreach (var reduction in new[] { nn.Reduction.Mean, nn.Reduction.Sum, nn.Reduction.None })
            GradCheck.Check(a => nn.functional.cross_entropy(a[0], target, reduction: reduction), In(1, 3, 5));
    }

    [Fact]
    public void Cross_entropy_with_ignore_index_gives_ignored_rows_no_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var target = tensor(new long[] { 2, -100, 3, 1 });
        foreach (var reduction in new[] { nn.Reduction.Mean, nn.Reduction.Sum, nn.Reduction.None })
            GradCheck.Check(a => nn.functional.cross_entropy(a[0], target, reduction: reduction), In(2, 4, 5));

        var padded = tensor(new long[] { 0, 4, 4, 1 });
        var x = In(3, 4, 5);
        GradCheck.Check(a => nn.functional.cross_entropy(a[0], padded, ignore_index: 4), x);
        nn.functional.cross_entropy(x, padded, ignore_index: 4).backward();
        Assert.Equal(new double[5], x.grad![1].data<double>());
        Assert.Equal(new double[5], x.grad![2].data<double>());
    }

    [Fact]
    public void Cross_entropy_with_label_smoothing_has_correct_gradients_for_each_reduction()
    {
        using var scope = torch.NewDisposeScope();
        var target = tensor(new long[] { 2, 0, -100, 1 });
        foreach (var reduction in new[] { nn.Reduction.Mean, nn.Reduction.Sum, nn.Reduction.None })
            GradCheck.Check(a => nn.functional.cross_entropy(a[0], target, reduction: reduction, label_smoothing: 0.1), In(4, 4, 3));
    }

    [Fact]
    public void Cross_entropy_over_sequences_and_with_class_weights_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        // (N, C, T) logits against (N, T) targets, as a language model's loss after a transpose.
        var target = tensor(new long[] { 1, 2, -100, 0, 0, 2 }, new long[] { 2, 3 });
        GradCheck.Check(a => nn.functional.cross_entropy(a[0], target, label_smoothing: 0.2), In(5, 2, 3, 3));
        var weight = tensor(new double[] { 0.5, 2.0, 1.0 });
        GradCheck.Check(a => nn.functional.cross_entropy(a[0], target, weight), In(6, 2, 3, 3));
        GradCheck.Check(a => nn.functional.cross_entropy(a[0].transpose(1, 2), target), In(7, 2, 3, 3));
    }

    [Fact]
    public void Nll_loss_has_correct_gradients_for_each_reduction_and_ignore_index()
    {
        using var scope = torch.NewDisposeScope();
        var target = tensor(new long[] { 1, 0, 3 });
        foreach (var reduction in new[] { nn.Reduction.Mean, nn.Reduction.Sum, nn.Reduction.None })
            GradCheck.Check(a => nn.functional.nll_loss(nn.functional.log_softmax(a[0], 1), target, reduction: reduction), In(1, 3, 4));
        var ignoring = tensor(new long[] { 1, 2, 3 });
        GradCheck.Check(a => nn.functional.nll_loss(a[0], ignoring, ignore_index: 2), In(2, 3, 4));
    }

    [Fact]
    public void Embedding_has_correct_weight_gradients_including_repeated_indices()
    {
        using var scope = torch.NewDisposeScope();
        var indices = tensor(new long[] { 1, 3, 1, 0, 3, 3 }, new long[] { 2, 3 });
        GradCheck.Check(a => nn.functional.embedding(indices, a[0]), In(1, 5, 3));

        var weight = In(2, 5, 3);
        nn.functional.embedding(indices, weight).sum().backward();
        // Each row's gradient counts how often it was looked up: row 3 three times, row 4 never.
        Assert.Equal(new double[] { 1, 1, 1, 2, 2, 2, 0, 0, 0, 3, 3, 3, 0, 0, 0 }, weight.grad!.data<double>());
    }

    [Fact]
    public void Embedding_padding_row_gets_no_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var indices = tensor(new long[] { 0, 2, 2, 1 });
        var weight = In(3, 3, 2);
        nn.functional.embedding(indices, weight, padding_idx: 2).sum().backward();
        Assert.Equal(new double[] { 1, 1, 1, 1, 0, 0 }, weight.grad!.data<double>());
    }

    [Fact]
    public void Embedding_negative_padding_index_counts_from_the_end_as_in_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        // F.embedding(idx, w, padding_idx=-1) pads with row num_embeddings − 1 (here 2).
        var indices = tensor(new long[] { 0, 2, 2, 1 });
        var weight = In(4, 3, 2);
        nn.functional.embedding(indices, weight, padding_idx: -1).sum().backward();
        Assert.Equal(new double[] { 1, 1, 1, 1, 0, 0 }, weight.grad!.data<double>());
    }

    [Fact]
    public void Dropout_with_p_zero_or_in_eval_mode_is_the_identity_with_gradient_one()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 4, 5);
        foreach (var (p, training) in new[] { (0.0, true), (0.5, false), (0.0, false) })
        {
            var leaf = x.detach().clone().requires_grad_();
            var y = nn.functional.dropout(leaf, p, training);
            Assert.Equal(x.detach().data<double>(), y.detach().data<double>());
            y.sum().backward();
            Assert.Equal(Enumerable.Repeat(1.0, 20), leaf.grad!.data<double>());
        }
    }

    [Fact]
    public void Dropout_scales_kept_elements_by_one_over_one_minus_p_and_its_gradient_is_the_scaled_mask()
    {
        using var scope = torch.NewDisposeScope();
        const double p = 0.25;
        var x = GradCheck.AwayFromZero(2, new long[] { 40, 50 });
        var y = nn.functional.dropout(x, p, training: true);
        var upstream = GradCheck.Input(3, new long[] { 40, 50 });
        y.backward(upstream.detach());

        var input = x.detach().data<double>();
        var output = y.detach().data<double>();
        var grad = x.grad!.data<double>();
        var up = upstream.detach().data<double>();
        var kept = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var keep = output[i] != 0;
            if (keep) kept++;
            var mask = keep ? 1.0 : 0.0;
            Assert.Equal(mask * input[i] / (1 - p), output[i], 12);
            Assert.Equal(up[i] * mask / (1 - p), grad[i], 12);
        }
        // 2000 Bernoulli(0.75) draws: the kept fraction is within 5 standard deviations (≈0.048) of 0.75.
        Assert.InRange(kept / 2000.0, 0.70, 0.80);
    }

    [Fact]
    public void Dropout_with_p_one_zeroes_everything()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(4, 3, 3);
        var y = nn.functional.dropout(x, 1.0, training: true);
        Assert.Equal(new double[9], y.detach().data<double>());
    }
}
