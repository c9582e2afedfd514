// Reductions over all elements or chosen dimensions, with keepdim, and their result dtypes.
// Expected values are hand-computed unless a comment names PyTorch 1.13.
namespace Transformer.Torch.Tests;

public class ReductionTests
{
    // [[1, 2, 3, 4], [2, 4, 6, 9]]
    private static Tensor Y() => tensor(new float[,] { { 1, 2, 3, 4 }, { 2, 4, 6, 9 } });

    [Fact]
    public void Sum_reduces_everything_or_the_given_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        Assert.Equal(0, y.sum().dim());
        Assert.Equal(31f, y.sum().item<float>());
        Assert.Equal(new float[] { 3, 6, 9, 13 }, y.sum(0).data<float>());
        Assert.Equal(new float[] { 10, 21 }, y.sum(-1).data<float>());
        Assert.Equal(new long[] { 2, 1 }, y.sum(1, keepdim: true).shape);
        Assert.Equal(new float[] { 31 }, y.sum(new long[] { 0, 1 }).data<float>());
        Assert.Equal(new long[] { 1, 1 }, y.sum(new long[] { 0, 1 }, keepdim: true).shape);
        var cube = arange(24, float32).view(2, 3, 4);
        Assert.Equal(new float[] { 60, 92, 124 }, cube.sum(new long[] { 0, 2 }).data<float>());
        Assert.Equal(new long[] { 1, 3, 1 }, cube.sum(new long[] { 0, 2 }, keepdim: true).shape);
    }

    [Fact]
    public void Reducing_everything_with_keepdim_keeps_every_dimension_as_size_one()
    {
        using var scope = torch.NewDisposeScope();
        // torch.ones(2, 3).sum(dim=None, keepdim=True).shape = (1, 1), likewise mean, norm, var, std (PyTorch 1.13).
        var y = Y();
        Assert.Equal(new long[] { 1, 1 }, y.sum(keepdim: true).shape);
        Assert.Equal(31f, y.sum(keepdim: true).item<float>());
        Assert.Equal(new long[] { 1, 1 }, y.mean(keepdim: true).shape);
        Assert.Equal(3.875f, y.mean(keepdim: true).item<float>());
        Assert.Equal(new long[] { 1, 1 }, y.norm(keepdim: true).shape);
        Assert.Equal(new long[] { 1, 1 }, y.var(keepdim: true).shape);
        Assert.Equal(new long[] { 1, 1 }, y.std(keepdim: true).shape);
        Assert.Equal(new long[] { 1, 1 }, y.sum(keepdim: true, dtype: float64).shape);
    }

    [Fact]
    public void Sum_of_integers_and_booleans_is_int64_unless_a_dtype_is_given()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ScalarType.Int64, tensor(new[] { 1, 2 }).sum().dtype);
        Assert.Equal(ScalarType.Int64, tensor(new sbyte[] { 100, 100 }).sum().dtype);
        Assert.Equal(200L, tensor(new sbyte[] { 100, 100 }).sum().item<long>());
        Assert.Equal(2L, tensor(new[] { true, true, false }).sum().item<long>());
        Assert.Equal(ScalarType.Float32, ones(new long[] { 2, 3 }, float16).sum(dtype: float32).dtype);
        Assert.Equal(ScalarType.Float64, Y().sum(0, dtype: float64).dtype);
        Assert.Equal(ScalarType.Int64, tensor(new[] { 1, 2 }).cumsum(0).dtype);
    }

    [Fact]
    public void Mean_averages_and_rejects_integer_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        Assert.Equal(3.875f, y.mean().item<float>());
        Assert.Equal(new float[] { 1.5f, 3, 4.5f, 6.5f }, y.mean(0).data<float>());
        Assert.Equal(new float[] { 2.5f, 5.25f }, y.mean(1, keepdim: true).data<float>());
        Assert.Equal(new long[] { 2, 1 }, y.mean(1, keepdim: true).shape);
        Assert.Equal(2.5, tensor(new long[] { 2, 3 }).mean(dtype: float64).item<double>());
        var e = Assert.Throws<TorchException>(() => tensor(new long[] { 1, 2 }).mean());
        Assert.Contains("mean(): could not infer output dtype", e.Message);
    }

    [Fact]
    public void Var_and_std_use_bessels_correction_unless_told_otherwise()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        // PyTorch 1.13: y.var() = 6.69642878, y.var(1) = [1.66666663, 8.91666698], y.std() = 2.5877459,
        // y.std(1) = [1.29099441, 2.98607874]; var(0, unbiased=False) = [0.25, 1, 2.25, 6.25].
        TensorAssert.Close(new[] { 6.69642878 }, y.var());
        TensorAssert.Close(new[] { 1.66666663, 8.91666698 }, y.var(1));
        TensorAssert.Close(new[] { 0.25, 1, 2.25, 6.25 }, y.var(0, unbiased: false));
        TensorAssert.Close(new[] { 2.5877459 }, y.std());
        TensorAssert.Close(new[] { 1.29099441, 2.98607874 }, y.std(1));
        TensorAssert.Close(new[] { 0.5, 1, 1.5, 2.5 }, y.std(0, unbiased: false));
        Assert.Equal(new long[] { 1, 4 }, y.var(0, keepdim: true).shape);
        Assert.Equal(new long[] { 2, 1 }, y.std(new long[] { 1 }, keepdim: true).shape);
        TensorAssert.Close(new[] { 6.69642878 }, y.var(new long[] { 0, 1 }));
    }

    [Fact]
    public void Norm_computes_p_norms_over_all_or_some_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        // PyTorch 1.13: y.norm() = 12.9228477, y.norm(p=3, dim=0) = [2.08008385, 4.16016769, 6.24025202, 9.25602341].
        TensorAssert.Close(new[] { 12.9228477 }, y.norm());
        TensorAssert.Close(new[] { 10, 21.0 }, y.norm(1, new long[] { 1 }));
        TensorAssert.Close(new[] { 2.08008385, 4.16016769, 6.24025202, 9.25602341 }, y.norm(3, new long[] { 0 }));
        TensorAssert.Close(new[] { 4, 9.0 }, y.norm(double.PositiveInfinity, new long[] { 1 }));
        TensorAssert.Close(new[] { 5.0 }, tensor(new float[] { 3, 0, -4 }).norm());
        TensorAssert.Close(new[] { 2.0 }, tensor(new float[] { 3, 0, -4 }).norm(0));
        Assert.Equal(new long[] { 2, 1 }, y.norm(2, new long[] { 1 }, keepdim: true).shape);
    }

    [Fact]
    public void Cumsum_accumulates_along_a_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var y = Y();
        Assert.Equal(new float[] { 1, 3, 6, 10, 2, 6, 12, 21 }, y.cumsum(1).data<float>());
        Assert.Equal(new float[] { 1, 2, 3, 4, 3, 6, 9, 13 }, y.cumsum(0).data<float>());
        Assert.Equal(new float[] { 1, 3, 6, 10, 2, 6, 12, 21 }, y.cumsum(-1).data<float>());
        Assert.Equal(ScalarType.Float64, y.cumsum(1, float64).dtype);
    }

    [Fact]
    public void Max_and_min_return_values_and_first_indices()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[,] { { 3, 1, 3 }, { 0, 5, 5 } });
        Assert.Equal(5f, x.max().item<float>());
        Assert.Equal(0f, x.min().item<float>());
        var (values, indexes) = x.max(1);
        Assert.Equal(new float[] { 3, 5 }, values.data<float>());
        // Ties go to the first occurrence on CPU (PyTorch 1.13: indices [0, 1]).
        Assert.Equal(new long[] { 0, 1 }, indexes.data<long>());
        var (minValues, minIndexes) = x.min(0, keepdim: true);
        Assert.Equal(new long[] { 1, 3 }, minValues.shape);
        Assert.Equal(new float[] { 0, 1, 3 }, minValues.data<float>());
        Assert.Equal(new long[] { 1, 0, 0 }, minIndexes.data<long>());
        Assert.True(float.IsNaN(tensor(new[] { 1f, float.NaN, 2f }).max().item<float>()));
        Assert.Equal(7L, tensor(new long[] { 7, -2 }).max().item<long>());
    }

    [Fact]
    public void Argmax_and_argmin_index_the_flattened_tensor_or_a_dimension()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[,] { { 3, 1, 3 }, { 0, 5, 5 } });
        Assert.Equal(4L, x.argmax().item<long>());
        Assert.Equal(3L, x.argmin().item<long>());
        Assert.Equal(new long[] { 0, 1 }, x.argmax(1).data<long>());
        Assert.Equal(new long[] { 1, 0 }, x.argmin(1, keepdim: true).data<long>());
        Assert.Equal(new long[] { 2, 1 }, x.argmin(1, keepdim: true).shape);
        Assert.Equal(new long[] { 0, 1, 1 }, x.argmax(0).data<long>());
        Assert.Equal(ScalarType.Int64, x.argmax().dtype);
    }

    [Fact]
    public void All_and_any_test_truthiness()
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(tensor(new[] { true, true }).all().item<bool>());
        Assert.False(tensor(new[] { true, false }).all().item<bool>());
        Assert.True(tensor(new[] { false, true }).any().item<bool>());
        Assert.False(tensor(new[] { 0f, 0f }).any().item<bool>());
        Assert.True(tensor(new[] { 1f, -2f }).all().item<bool>());
        Assert.True(zeros(0).all().item<bool>());
    }

    [Fact]
    public void Reducing_an_out_of_range_dimension_is_an_error()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => Y().sum(2));
        Assert.Contains("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e.Message);
        Assert.Throws<TorchException>(() => Y().max(-3));
    }
}
