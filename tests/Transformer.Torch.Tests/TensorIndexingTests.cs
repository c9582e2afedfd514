// Indexing (integers, ranges, None, Ellipsis, integer and boolean tensors), assignment through
// indices, and selection ops: masked_fill/where/gather/scatter/index_select/topk/sort/one_hot/embedding.
namespace Transformer.Torch.Tests;

public class TensorIndexingTests
{
    // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    private static Tensor X() => arange(12).view(3, 4);

    [Fact]
    public void An_integer_index_selects_and_drops_the_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 4, 5, 6, 7 }, x[1].data<long>());
        Assert.Equal(new long[] { 4 }, x[1].shape);
        Assert.Equal(6L, x[1, 2].item<long>());
        Assert.Equal(0, x[1, 2].dim());
        Assert.Equal(new long[] { 8, 9, 10, 11 }, x[-1].data<long>());
        Assert.Equal(new long[] { 8, 9, 10, 11 }, x[^1].data<long>());
        Assert.Equal(new long[] { 2, 6, 10 }, x[.., 2].data<long>());
        Assert.Equal(10L, x[2L, 2L].item<long>());
    }

    [Fact]
    public void Ranges_slice_like_python()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 4, 5, 6, 7, 8, 9, 10, 11 }, x[1..3].data<long>());
        Assert.Equal(new long[] { 2, 4 }, x[1..3].shape);
        Assert.Equal(new long[] { 3, 7, 11 }, x[.., ^1].data<long>());
        Assert.Equal(new long[] { 3, 1 }, x[.., ^1..].shape);
        Assert.Equal(new long[] { 1, 2, 5, 6 }, x[..2, 1..3].data<long>());
        Assert.Equal(new long[] { 0, 1, 2, 4, 5, 6, 8, 9, 10 }, x[.., ..^1].data<long>());
        Assert.Equal(new long[] { 3, 0 }, x[.., ^0..].shape);
        Assert.Equal(new long[] { 0, 4 }, x[2..1].shape);
        Assert.Equal(new long[] { 0, 2, 8, 10 }, x[TensorIndex.Slice(null, null, 2), TensorIndex.Slice(0, null, 2)].data<long>());
        Assert.Equal(new long[] { 1, 3, 5, 7, 9, 11 }, x[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)].data<long>());
        Assert.Equal(new long[] { 3, 4 }, x[0..100].shape); // slices clamp like Python's
    }

    [Fact]
    public void Hat_zero_cannot_index_a_single_element()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Throws<ArgumentOutOfRangeException>(() => x[^0]);
    }

    [Fact]
    public void None_adds_an_axis_and_ellipsis_fills_the_remaining_ones()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 1, 3, 4 }, x[TensorIndex.None].shape);
        Assert.Equal(new long[] { 3, 1, 4 }, x[.., TensorIndex.None].shape);
        Assert.Equal(new long[] { 3, 4, 1 }, x[TensorIndex.Ellipsis, TensorIndex.None].shape);
        Assert.Equal(new long[] { 3, 7, 11 }, x[TensorIndex.Ellipsis, -1].data<long>());
        Assert.Equal(new long[] { 3, 4 }, x[TensorIndex.Ellipsis].shape);
        var cube = arange(24).view(2, 3, 4);
        Assert.Equal(new long[] { 2, 3 }, cube[TensorIndex.Ellipsis, 0].shape);
        Assert.Equal(new long[] { 3, 4 }, cube[1, TensorIndex.Ellipsis].shape);
        Assert.Equal(new long[] { 12, 16, 20 }, cube[1, TensorIndex.Ellipsis, 0].data<long>());
    }

    [Fact]
    public void Tensor_indices_gather_rows_and_masks_select_elements()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 8, 9, 10, 11, 0, 1, 2, 3 }, x[tensor(new long[] { 2, 0 })].data<long>());
        Assert.Equal(new long[] { 2, 2, 4 }, x[tensor(new long[] { 0, 1, 2, 2 }, new long[] { 2, 2 })].shape);
        Assert.Equal(new long[] { 1, 11 }, x[tensor(new long[] { 0, 2 }), tensor(new long[] { 1, 3 })].data<long>());
        Assert.Equal(new long[] { 0, 2, 3, 4, 6, 7, 8, 10, 11 }, x[.., tensor(new[] { true, false, true, true })].data<long>());
        var mask = x > 8;
        Assert.Equal(new long[] { 9, 10, 11 }, x[mask].data<long>());
        Assert.Equal(new long[] { 3 }, x[mask].shape);
        Assert.Equal(new long[] { 9, 10, 11 }, x.masked_select(mask).data<long>());
    }

    [Fact]
    public void Basic_indexing_returns_views_that_share_storage()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var row = x[1];
        row.fill_(-1);
        Assert.Equal(new long[] { -1, -1, -1, -1 }, x[1].data<long>());
        var col = x[.., 0];
        col.add_(100);
        Assert.Equal(new long[] { 100, 99, 108 }, x[.., 0].data<long>());
        var gathered = x[tensor(new long[] { 0 })]; // advanced indexing copies
        gathered.zero_();
        Assert.Equal(100L, x[0, 0].item<long>());
    }

    [Fact]
    public void Assigning_through_indices_writes_into_the_tensor()
    {
        using var scope = torch.NewDisposeScope();
        var x = zeros(3, 4);
        x[1] = ones(4);
        x[.., 3] = tensor(new float[] { 7, 8, 9 });
        x[0, 0] = tensor(5f);
        x[2, 1..3] = tensor(2f); // broadcast
        Assert.Equal(new float[] { 5, 0, 0, 7, 1, 1, 1, 8, 0, 2, 2, 9 }, x.data<float>());
        x.index_put_(-1, x < 2);
        Assert.Equal(new float[] { 5, -1, -1, 7, -1, -1, -1, 8, -1, 2, 2, 9 }, x.data<float>());
        x.index_put_(tensor(new float[] { 0, 0 }, new long[] { 2, 1 }), tensor(new long[] { 0, 2 }), TensorIndex.Slice(null, 1));
        Assert.Equal(new float[] { 0, -1, 0 }, x[.., 0].data<float>());
        var y = zeros(new long[] { 2, 2 }, int64);
        y[tensor(new[] { true, false, false, true }).view(2, 2)] = tensor(3L);
        Assert.Equal(new long[] { 3, 0, 0, 3 }, y.data<long>());
    }

    [Fact]
    public void Masked_fill_replaces_masked_positions_with_broadcasting()
    {
        using var scope = torch.NewDisposeScope();
        var scores = ones(2, 3, 3);
        var causal = ones(new long[] { 3, 3 }, @bool).triu(1);
        var masked = scores.masked_fill(causal, float.NegativeInfinity);
        Assert.Equal(new[] { 1f, float.NegativeInfinity, float.NegativeInfinity, 1f, 1f, float.NegativeInfinity, 1f, 1f, 1f },
            masked[1].data<float>());
        Assert.Equal(Enumerable.Repeat(1f, 18), scores.data<float>()); // out of place
        var t = tensor(new long[] { 1, 2, 3 });
        Assert.Same(t, t.masked_fill_(t.eq(2), 0));
        Assert.Equal(new long[] { 1, 0, 3 }, t.data<long>());
    }

    [Fact]
    public void Where_picks_from_either_tensor_with_broadcasting()
    {
        using var scope = torch.NewDisposeScope();
        var condition = tensor(new[] { true, false, true });
        Assert.Equal(new float[] { 1, 20, 3 }, where(condition, tensor(new float[] { 1, 2, 3 }), tensor(new float[] { 10, 20, 30 })).data<float>());
        Assert.Equal(new float[] { 1, 0, 1, 1, 0, 1 }, where(condition, ones(2, 3), zeros(1)).data<float>());
        Assert.Equal(ScalarType.Float64, where(condition, ones(3), ones(new long[] { 3 }, float64)).dtype);
    }

    [Fact]
    public void Gather_scatter_and_index_select_move_values_by_index()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var idx = tensor(new long[] { 2, 0, 1, 1 }, new long[] { 2, 2 });
        Assert.Equal(new float[] { 3, 1, 5, 5 }, x.gather(1, idx).data<float>());
        Assert.Equal(new float[] { 4, 5, 6, 1, 2, 3 }, x.index_select(0, tensor(new long[] { 1, 0 })).data<float>());
        Assert.Equal(new float[] { 3, 3, 6, 6 }, x.index_select(1, tensor(new long[] { 2, 2 })).data<float>());
        var src = tensor(new float[,] { { 10, 20 }, { 30, 40 } });
        var scattered = zeros(2, 3).scatter(1, tensor(new long[] { 2, 0, 1, 0 }, new long[] { 2, 2 }), src);
        Assert.Equal(new float[] { 20, 0, 10, 40, 30, 0 }, scattered.data<float>());
        var added = ones(2, 3).scatter_add(1, tensor(new long[] { 1, 1, 2, 2 }, new long[] { 2, 2 }), src);
        Assert.Equal(new float[] { 1, 31, 1, 1, 1, 71 }, added.data<float>());
    }

    [Fact]
    public void Topk_and_sort_return_values_with_their_indices()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[,] { { 1, 5, 3 }, { 4, 2, 6 } });
        var (values, indexes) = x.topk(2);
        Assert.Equal(new float[] { 5, 3, 6, 4 }, values.data<float>());
        Assert.Equal(new long[] { 1, 2, 2, 0 }, indexes.data<long>());
        var (smallest, smallestAt) = x.topk(1, dim: 0, largest: false);
        Assert.Equal(new float[] { 1, 2, 3 }, smallest.data<float>());
        Assert.Equal(new long[] { 0, 1, 0 }, smallestAt.data<long>());
        var (sorted, order) = x.sort(descending: true);
        Assert.Equal(new float[] { 5, 3, 1, 6, 4, 2 }, sorted.data<float>());
        Assert.Equal(new long[] { 1, 2, 0, 2, 0, 1 }, order.data<long>());
        Assert.Equal(new long[] { 0, 2, 1, 1, 0, 2 }, x.argsort().data<long>());
        var (stable, stableOrder) = tensor(new long[] { 2, 1, 2, 1 }).sort(stable: true);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, stable.data<long>());
        Assert.Equal(new long[] { 1, 3, 0, 2 }, stableOrder.data<long>());
    }

    [Fact]
    public void One_hot_encodes_class_indices_as_int64()
    {
        using var scope = torch.NewDisposeScope();
        var h = nn.functional.one_hot(tensor(new long[] { 0, 2, 1 }), 4);
        Assert.Equal(new long[] { 3, 4 }, h.shape);
        Assert.Equal(ScalarType.Int64, h.dtype);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0 }, h.data<long>());
        Assert.Equal(new long[] { 2, 3 }, nn.functional.one_hot(tensor(new long[] { 0, 2 })).shape);
    }

    [Fact]
    public void Embedding_looks_up_rows_for_any_index_shape()
    {
        using var scope = torch.NewDisposeScope();
        var weight = tensor(new float[,] { { 0, 0 }, { 1, 2 }, { 3, 4 } });
        var e = nn.functional.embedding(tensor(new long[] { 2, 1, 2, 0 }, new long[] { 2, 2 }), weight);
        Assert.Equal(new long[] { 2, 2, 2 }, e.shape);
        Assert.Equal(new float[] { 3, 4, 1, 2, 3, 4, 0, 0 }, e.data<float>());
        var err = Assert.Throws<TorchException>(() => nn.functional.embedding(tensor(new long[] { 5 }), weight));
        Assert.Contains("index out of range in self", err.Message);
        Assert.Throws<TorchException>(() => nn.functional.embedding(tensor(new long[] { 0 }), weight, padding_idx: 3));
        Assert.Throws<TorchException>(() => nn.functional.embedding(tensor(new long[] { 0 }), weight, padding_idx: -4));
    }

    [Fact]
    public void Multinomial_samples_only_indices_with_positive_probability()
    {
        using var scope = torch.NewDisposeScope();
        var probs = tensor(new float[,] { { 0, 1, 0, 3 }, { 5, 0, 0, 0 } });
        var s = probs.multinomial(50, replacement: true);
        Assert.Equal(new long[] { 2, 50 }, s.shape);
        Assert.All(s[0].data<long>(), v => Assert.True(v is 1 or 3));
        Assert.All(s[1].data<long>(), v => Assert.Equal(0L, v));
        var distinct = tensor(new float[] { 1, 1, 1, 1 }).multinomial(4);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, distinct.data<long>().Order());
        var e = Assert.Throws<TorchException>(() => tensor(new float[] { 0, 0 }).multinomial(1));
        Assert.Contains("invalid multinomial distribution (sum of probabilities <= 0)", e.Message);
    }
}
