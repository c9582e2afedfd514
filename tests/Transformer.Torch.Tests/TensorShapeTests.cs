// Views, reshapes, transposes, expansion, joining and splitting.
namespace Transformer.Torch.Tests;

public class TensorShapeTests
{
    // [[0, 1, 2], [3, 4, 5]]
    private static Tensor X() => arange(6).view(2, 3);

    [Fact]
    public void View_and_reshape_keep_row_major_order_and_infer_minus_one()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 3, 2 }, x.view(3, 2).shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, x.view(3, 2).data<long>());
        Assert.Equal(new long[] { 6 }, x.view(-1).shape);
        Assert.Equal(new long[] { 1, 2, 3 }, x.reshape(1, -1, 3).shape);
        Assert.Equal(new long[] { 6 }, x.flatten().shape);
        Assert.Equal(new long[] { 2, 3 }, arange(6).view_as(x).shape);
        var v = x.view(6);
        v[0] = tensor(42L);
        Assert.Equal(42L, x[0, 0].item<long>()); // a view shares storage
    }

    [Fact]
    public void Reshape_copies_only_when_a_view_is_impossible()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var t = x.t();
        Assert.False(t.is_contiguous());
        var r = t.reshape(6);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, r.data<long>());
        r.fill_(0);
        Assert.Equal(15L, x.sum().item<long>()); // reshape of a non-contiguous tensor copied
        var e = Assert.Throws<TorchException>(() => x.view(4, 2));
        Assert.Contains("shape '[4, 2]' is invalid for input of size 6", e.Message);
    }

    [Fact]
    public void Transpose_and_permute_swap_dimensions_without_copying()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        var t = x.transpose(0, 1);
        Assert.Equal(new long[] { 3, 2 }, t.shape);
        Assert.Equal(new long[] { 1, 3 }, t.stride());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, t.data<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, x.t().data<long>());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, x.mT.data<long>());
        var cube = arange(24).view(2, 3, 4);
        var p = cube.permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        Assert.Equal(cube[1, 2, 3].item<long>(), p[3, 1, 2].item<long>());
        Assert.Equal(new long[] { 2, 4, 3 }, cube.transpose(-1, -2).shape);
        Assert.Equal(new long[] { 12, 4, 1 }, cube.stride());
        Assert.Equal(new long[] { 1, 12, 4 }, p.stride());
    }

    [Fact]
    public void Contiguous_copies_a_transposed_tensor_into_row_major_order()
    {
        using var scope = torch.NewDisposeScope();
        var t = X().t();
        var c = t.contiguous();
        Assert.True(c.is_contiguous());
        Assert.Equal(new long[] { 2, 1 }, c.stride());
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, c.view(-1).data<long>());
        var already = X();
        Assert.True(already.is_contiguous());
        var same = already.contiguous();
        same[0, 0] = tensor(9L);
        Assert.Equal(9L, already[0, 0].item<long>()); // contiguous() of a contiguous tensor is itself
    }

    [Fact]
    public void Unsqueeze_and_squeeze_add_and_remove_size_one_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 1, 2, 3 }, x.unsqueeze(0).shape);
        Assert.Equal(new long[] { 2, 3, 1 }, x.unsqueeze(-1).shape);
        var y = zeros(1, 2, 1, 3);
        Assert.Equal(new long[] { 2, 3 }, y.squeeze().shape);
        Assert.Equal(new long[] { 1, 2, 3 }, y.squeeze(2).shape);
        Assert.Equal(new long[] { 1, 2, 1, 3 }, y.squeeze(1).shape); // not size 1: unchanged
        Assert.Equal(new long[] { 2, 1, 3 }, y.squeeze(0).shape);
    }

    [Fact]
    public void Expand_broadcasts_size_one_dimensions_without_copying()
    {
        using var scope = torch.NewDisposeScope();
        var col = tensor(new long[] { 1, 2 }, new long[] { 2, 1 });
        var e = col.expand(2, 3);
        Assert.Equal(new long[] { 1, 1, 1, 2, 2, 2 }, e.data<long>());
        Assert.Equal(new long[] { 1, 0 }, e.stride());
        Assert.Equal(new long[] { 4, 2, 3 }, col.expand(4, -1, 3).shape);
        Assert.Equal(new long[] { 2, 3 }, col.expand_as(X()).shape);
        var err = Assert.Throws<TorchException>(() => col.expand(3, 3));
        Assert.Contains("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0", err.Message);
    }

    [Fact]
    public void Repeat_tiles_and_flip_reverses()
    {
        using var scope = torch.NewDisposeScope();
        var v = tensor(new long[] { 1, 2 });
        Assert.Equal(new long[] { 1, 2, 1, 2, 1, 2 }, v.repeat(3).data<long>());
        Assert.Equal(new long[] { 2, 4 }, v.repeat(2, 2).shape);
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, X().flip(1).data<long>());
        Assert.Equal(new long[] { 5, 4, 3, 2, 1, 0 }, X().flip(0, 1).data<long>());
    }

    [Fact]
    public void Narrow_and_select_take_a_band_or_a_slice()
    {
        using var scope = torch.NewDisposeScope();
        var x = X();
        Assert.Equal(new long[] { 1, 2, 4, 5 }, x.narrow(1, 1, 2).data<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, x.narrow(0, 1, 1).data<long>());
        Assert.Equal(new long[] { 1, 4 }, x.select(1, 1).data<long>());
        Assert.Equal(new long[] { 2, 5 }, x.select(-1, -1).data<long>());
        var e = Assert.Throws<TorchException>(() => x.narrow(1, 2, 2));
        Assert.Contains("start (2) + length (2) exceeds dimension size (3)", e.Message);
    }

    [Fact]
    public void Tril_and_triu_keep_the_lower_or_upper_triangle()
    {
        using var scope = torch.NewDisposeScope();
        var m = ones(3, 3);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0, 1, 1, 1 }, m.tril().data<float>());
        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 1, 0, 0, 0 }, m.triu(1).data<float>());
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 0, 1, 1, 0 }, m.tril(-1).data<float>());
        Assert.Equal(new long[] { 2, 3, 3 }, ones(2, 3, 3).triu().shape);
    }

    [Fact]
    public void Cat_joins_along_an_existing_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var a = X();
        var b = tensor(new long[] { 6, 7, 8 }, new long[] { 1, 3 });
        var rows = cat(new[] { a, b });
        Assert.Equal(new long[] { 3, 3 }, rows.shape);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, rows.data<long>());
        var cols = cat(new[] { a, a.narrow(1, 0, 1) }, -1);
        Assert.Equal(new long[] { 0, 1, 2, 0, 3, 4, 5, 3 }, cols.data<long>());
        Assert.Equal(ScalarType.Float32, cat(new[] { ones(1), tensor(new long[] { 2 }) }).dtype); // promotes
        var e = Assert.Throws<TorchException>(() => cat(new[] { ones(2, 3), ones(2, 4) }));
        Assert.Contains("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.", e.Message);
    }

    [Fact]
    public void Stack_joins_along_a_new_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var a = tensor(new long[] { 1, 2 });
        var b = tensor(new long[] { 3, 4 });
        Assert.Equal(new long[] { 1, 2, 3, 4 }, stack(new[] { a, b }).data<long>());
        Assert.Equal(new long[] { 2, 2 }, stack(new[] { a, b }).shape);
        Assert.Equal(new long[] { 1, 3, 2, 4 }, stack(new[] { a, b }, 1).data<long>());
        Assert.Equal(new long[] { 2, 3 }, stack(new[] { a, b, a }, -1).shape);
        Assert.Throws<TorchException>(() => stack(new[] { a, ones(3) }));
        Assert.Throws<TorchException>(() => stack(Array.Empty<Tensor>()));
    }

    [Fact]
    public void Chunk_divides_into_at_most_n_nearly_equal_parts()
    {
        using var scope = torch.NewDisposeScope();
        var v = arange(7);
        var parts = v.chunk(3);
        Assert.Equal(3, parts.Length);
        Assert.Equal(new long[] { 0, 1, 2 }, parts[0].data<long>());
        Assert.Equal(new long[] { 3, 4, 5 }, parts[1].data<long>());
        Assert.Equal(new long[] { 6 }, parts[2].data<long>());
        Assert.Equal(2, arange(4).chunk(3).Length); // PyTorch: chunks of ceil(4/3) = 2
        var qkv = arange(12).view(2, 6).chunk(3, -1);
        Assert.Equal(new long[] { 2, 2 }, qkv[1].shape);
        Assert.Equal(new long[] { 2, 3, 8, 9 }, qkv[1].data<long>());
    }

    [Fact]
    public void Split_cuts_fixed_sizes_or_a_list_of_sizes()
    {
        using var scope = torch.NewDisposeScope();
        var v = arange(7);
        var parts = v.split(3);
        Assert.Equal(new[] { 3L, 3L, 1L }, parts.Select(p => p.numel()));
        Assert.Equal(new long[] { 6 }, parts[2].data<long>());
        Assert.Single(v.split(10));
        var sized = X().split(new long[] { 1, 2 }, 1);
        Assert.Equal(new long[] { 0, 3 }, sized[0].data<long>());
        Assert.Equal(new long[] { 1, 2, 4, 5 }, sized[1].data<long>());
        var e = Assert.Throws<TorchException>(() => v.split(new long[] { 3, 3 }));
        Assert.Contains("split_with_sizes expects split_sizes to sum exactly to 7", e.Message);
        var rows = X().split(1, -2);
        Assert.Equal(2, rows.Length);
        Assert.Equal(new long[] { 1, 3 }, rows[1].shape);
    }

    [Fact]
    public void Clone_copies_and_detach_shares_storage()
    {
        using var scope = torch.NewDisposeScope();
        var x = ones(new long[] { 3 }, requires_grad: true);
        var c = x.clone();
        Assert.True(c.requires_grad);
        Assert.False(c.is_leaf);
        var d = x.detach();
        Assert.False(d.requires_grad);
        using (torch.no_grad()) d.add_(1);
        Assert.Equal(new[] { 2f, 2f, 2f }, x.data<float>());
        Assert.Equal(new[] { 1f, 1f, 1f }, c.data<float>());
        var alias = x.alias();
        Assert.True(alias.requires_grad);
    }
}
