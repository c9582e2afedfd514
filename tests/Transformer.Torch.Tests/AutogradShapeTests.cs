// Gradients through views, indexing, joining/splitting, selection and reductions, against central
// finite differences (GradCheck).
namespace Transformer.Torch.Tests;

public class AutogradShapeTests
{
    private static Tensor In(int seed, params long[] shape) => GradCheck.Input(seed, shape);

    [Fact]
    public void Views_and_reshapes_pass_gradients_through()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 2, 3, 4);
        GradCheck.Check(a => a[0].transpose(0, 2), x);
        GradCheck.Check(a => a[0].mT, x);
        GradCheck.Check(a => a[0].permute(2, 0, 1), x);
        GradCheck.Check(a => a[0].reshape(4, -1), x);
        GradCheck.Check(a => a[0].view(6, 4), x);
        GradCheck.Check(a => a[0].transpose(1, 2).contiguous().view(-1), x);
        GradCheck.Check(a => a[0].unsqueeze(1).squeeze(1), x);
        GradCheck.Check(a => a[0].flatten(), x);
        GradCheck.Check(a => a[0].flip(1), x);
    }

    [Fact]
    public void Expand_sums_the_gradient_over_the_broadcast_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(a => a[0].expand(2, 3, 4), In(1, 3, 1));
        GradCheck.Check(a => a[0].expand(3, -1), In(2, 4));
        GradCheck.Check(a => a[0].repeat(2, 3), In(3, 2, 2));
        var x = In(4, 3, 1);
        x.expand(2, 3, 4).sum().backward();
        Assert.Equal(new double[] { 8, 8, 8 }, x.grad!.data<double>());
    }

    [Fact]
    public void Narrow_and_select_pass_gradients_to_the_chosen_elements_only()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 3, 5);
        GradCheck.Check(a => a[0].narrow(1, 1, 3), x);
        GradCheck.Check(a => a[0].select(0, 2), x);
        GradCheck.Check(a => a[0].select(-1, -1), x);
        GradCheck.Check(a => a[0].tril(), In(2, 4, 4));
        GradCheck.Check(a => a[0].triu(1), In(3, 4, 4));
    }

    [Fact]
    public void Indexing_with_integers_ranges_none_ellipsis_and_tensors_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 3, 4, 2);
        var mask = tensor(new[] { true, false, true, true });
        var rows = tensor(new long[] { 2, 0, 2 });
        GradCheck.Check(a => a[0][1], x);
        GradCheck.Check(a => a[0][1..3], x);
        GradCheck.Check(a => a[0][.., ^1], x);
        GradCheck.Check(a => a[0][TensorIndex.Ellipsis, 0], x);
        GradCheck.Check(a => a[0][TensorIndex.None, .., 2], x);
        GradCheck.Check(a => a[0][.., mask], x);
        GradCheck.Check(a => a[0][rows], x); // repeated row 2 accumulates
        GradCheck.Check(a => a[0][TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, null, 2)], x);
    }

    [Fact]
    public void Cat_and_stack_split_the_gradient_between_their_inputs()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(a => cat(new[] { a[0], a[1] }, 1), In(1, 2, 3), In(2, 2, 2));
        GradCheck.Check(a => cat(new[] { a[0], a[1], a[0] }, 0), In(3, 2, 3), In(4, 1, 3));
        GradCheck.Check(a => stack(new[] { a[0], a[1] }, 1), In(5, 2, 3), In(6, 2, 3));
        GradCheck.Check(a => stack(new[] { a[0], a[1] }, -1), In(7, 4), In(8, 4));
    }

    [Fact]
    public void Chunk_and_split_pass_gradients_back_from_each_part()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(a =>
        {
            var parts = a[0].chunk(3, 1);
            return cat(new[] { parts[2] * 2.0, parts[0], parts[1].exp() }, 1);
        }, In(1, 2, 6));
        GradCheck.Check(a =>
        {
            var parts = a[0].split(2, 0);
            return parts[0].sum() + parts[1].square().sum() * 3.0 + parts[2].sum() * -1.0;
        }, In(2, 5, 2));
        GradCheck.Check(a =>
        {
            var parts = a[0].split(new long[] { 1, 3 }, -1);
            return parts[1] * parts[0];
        }, In(3, 3, 4));
    }

    [Fact]
    public void Sum_and_mean_have_correct_gradients_with_dims_and_keepdim()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(1, 2, 3, 4);
        GradCheck.Check(a => a[0].sum(), x);
        GradCheck.Check(a => a[0].sum(1), x);
        GradCheck.Check(a => a[0].sum(new long[] { 0, 2 }, keepdim: true), x);
        GradCheck.Check(a => a[0].mean(), x);
        GradCheck.Check(a => a[0].mean(-1, keepdim: true), x);
        GradCheck.Check(a => a[0].mean(new long[] { 0, 1 }), x);
    }

    [Fact]
    public void Var_and_std_have_correct_gradients_with_dims_keepdim_and_bias_correction()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(2, 2, 3, 4);
        GradCheck.Check(a => a[0].var(), x);
        GradCheck.Check(a => a[0].var(-1, keepdim: true), x);
        GradCheck.Check(a => a[0].var(new long[] { 0, 2 }, unbiased: false), x);
        GradCheck.Check(a => a[0].std(), x);
        GradCheck.Check(a => a[0].std(1), x);
        GradCheck.Check(a => a[0].std(new long[] { 1, 2 }, unbiased: false, keepdim: true), x);
    }

    [Fact]
    public void Norm_has_correct_gradients_with_dims_keepdim_and_p()
    {
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.AwayFromZero(3, new long[] { 2, 3, 4 });
        GradCheck.Check(a => a[0].norm(), x);
        GradCheck.Check(a => a[0].norm(2, new long[] { -1 }), x);
        GradCheck.Check(a => a[0].norm(2, new long[] { 0, 2 }, keepdim: true), x);
        GradCheck.Check(a => a[0].norm(1, new long[] { 1 }), x);
        GradCheck.Check(a => a[0].norm(3, new long[] { 2 }), x);
    }

    [Fact]
    public void Cumsum_max_and_min_have_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        var x = In(4, 3, 4); // distinct values, so max/min have no ties
        GradCheck.Check(a => a[0].cumsum(1), x);
        GradCheck.Check(a => a[0].max(1).values, x);
        GradCheck.Check(a => a[0].min(0, keepdim: true).values, x);
        GradCheck.Check(a => a[0].max(), x);
    }

    [Fact]
    public void Masked_fill_gives_filled_positions_no_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var mask = tensor(new[] { false, true, false, true, true, false }, new long[] { 2, 3 });
        GradCheck.Check(a => a[0].masked_fill(mask, -5.0), In(1, 2, 3));
        // A (T, T) causal mask broadcast over (B, T, T) scores, as attention does.
        var causal = ones(new long[] { 3, 3 }, ScalarType.Bool).triu(1);
        GradCheck.Check(a => nn.functional.softmax(a[0].masked_fill(causal, double.NegativeInfinity), -1), In(2, 2, 3, 3));
        var x = In(3, 2, 3);
        x.masked_fill(mask, 0.0).sum().backward();
        Assert.Equal(new double[] { 1, 0, 1, 0, 0, 1 }, x.grad!.data<double>());
    }

    [Fact]
    public void Where_routes_the_gradient_to_the_chosen_input()
    {
        using var scope = torch.NewDisposeScope();
        var condition = tensor(new[] { true, false, false, true, true, false }, new long[] { 2, 3 });
        GradCheck.Check(a => where(condition, a[0], a[1]), In(1, 2, 3), In(2, 2, 3));
        GradCheck.Check(a => where(condition, a[0], a[1]), In(3, 2, 3), In(4, 3)); // broadcast
    }

    [Fact]
    public void Gather_and_index_select_accumulate_gradients_for_repeated_indices()
    {
        using var scope = torch.NewDisposeScope();
        var index = tensor(new long[] { 0, 2, 2, 1, 1, 1 }, new long[] { 2, 3 });
        GradCheck.Check(a => a[0].gather(1, index), In(1, 2, 4));
        var rows = tensor(new long[] { 3, 0, 3 });
        GradCheck.Check(a => a[0].index_select(0, rows), In(2, 4, 2));
        GradCheck.Check(a => a[0].index_select(1, rows), In(3, 2, 4));
        var x = In(4, 2, 4);
        x.gather(1, index).sum().backward();
        Assert.Equal(new double[] { 1, 0, 2, 0, 0, 3, 0, 0 }, x.grad!.data<double>());
    }

    [Fact]
    public void Scatter_and_topk_pass_gradients_to_the_selected_elements()
    {
        using var scope = torch.NewDisposeScope();
        var index = tensor(new long[] { 2, 0, 1, 3 }, new long[] { 2, 2 });
        GradCheck.Check(a => a[0].scatter(1, index, a[1]), In(1, 2, 4), In(2, 2, 2));
        GradCheck.Check(a => a[0].scatter_add(1, index, a[1]), In(3, 2, 4), In(4, 2, 2));
        GradCheck.Check(a => a[0].topk(2).values, In(5, 3, 5));
        GradCheck.Check(a => a[0].sort(descending: true).values, In(6, 2, 5));
    }
}
