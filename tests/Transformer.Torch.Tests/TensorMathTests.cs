// Element-wise arithmetic, type promotion, broadcasting, comparisons, unary math, matrix products
// and in-place updates. Expected values are hand-computed unless a comment names PyTorch 1.13.
namespace Transformer.Torch.Tests;

public class TensorMathTests
{
    [Fact]
    public void Adding_an_integer_scalar_keeps_int64()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new long[] { 1, 2, 3 }) + 2;
        Assert.Equal(ScalarType.Int64, t.dtype);
        Assert.Equal(new long[] { 3, 4, 5 }, t.data<long>());
        Assert.Equal(ScalarType.Int64, (2L * tensor(new long[] { 1 })).dtype);
    }

    [Fact]
    public void Adding_a_floating_scalar_to_an_integer_tensor_gives_float32()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new long[] { 1, 2, 3 }) + 2.5;
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new[] { 3.5f, 4.5f, 5.5f }, t.data<float>());
    }

    [Fact]
    public void Scalars_never_widen_a_tensor_of_the_same_category()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ScalarType.Int32, (tensor(new[] { 1 }) + 2).dtype);
        // torch.tensor([1], dtype=torch.int8) + 300 = tensor([45], dtype=torch.int8) (PyTorch 1.13: wraps).
        Assert.Equal(new sbyte[] { 45 }, (tensor(new sbyte[] { 1 }) + 300).data<sbyte>());
        Assert.Equal(ScalarType.Float16, (ones(new long[] { 2 }, float16) * 2.5).dtype);
        Assert.Equal(ScalarType.BFloat16, (ones(new long[] { 2 }, bfloat16) + 1).dtype);
        Assert.Equal(ScalarType.Float64, (ones(new long[] { 2 }, float64) + 1.5f).dtype);
        Assert.Equal(ScalarType.Int64, (tensor(new[] { true }) + 1).dtype);
        Assert.Equal(ScalarType.Float32, (tensor(new[] { true }) * 1.5).dtype);
    }

    [Fact]
    public void Tensors_promote_like_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        // Each pair's result dtype, as PyTorch 1.13 reports it.
        Assert.Equal(ScalarType.Int64, (ones(new long[] { 1 }, int32) + ones(new long[] { 1 }, int64)).dtype);
        Assert.Equal(ScalarType.Float64, (ones(new long[] { 1 }, float32) + ones(new long[] { 1 }, float64)).dtype);
        Assert.Equal(ScalarType.Float32, (ones(new long[] { 1 }, int64) * ones(new long[] { 1 }, float32)).dtype);
        Assert.Equal(ScalarType.Int16, (ones(new long[] { 1 }, uint8) + ones(new long[] { 1 }, int8)).dtype);
        Assert.Equal(ScalarType.Float32, (ones(new long[] { 1 }, bfloat16) + ones(new long[] { 1 }, float16)).dtype);
        Assert.Equal(ScalarType.Float32, (ones(new long[] { 1 }, float16) + ones(new long[] { 1 }, float32)).dtype);
        Assert.Equal(ScalarType.Bool, (tensor(new[] { true }) + tensor(new[] { true })).dtype);
        // A 0-d tensor counts like a scalar within a category, but lifts the category.
        Assert.Equal(ScalarType.Float32, (ones(new long[] { 2 }, float32) + tensor(1.0)).dtype);
        Assert.Equal(ScalarType.Float64, (ones(new long[] { 2 }, int32) + tensor(1.5)).dtype);
    }

    [Fact]
    public void Dividing_integers_is_true_division()
    {
        using var scope = torch.NewDisposeScope();
        var q = tensor(new long[] { 2, 3 }) / 2;
        Assert.Equal(ScalarType.Float32, q.dtype);
        Assert.Equal(new[] { 1f, 1.5f }, q.data<float>());
        Assert.Equal(new[] { 0.5f, 4f }, (2 / tensor(new[] { 4f, 0.5f })).data<float>());
        Assert.Equal(ScalarType.Float32, (2 / tensor(new long[] { 4 })).dtype);
        Assert.Equal(new[] { 0.5f }, (2 / tensor(new long[] { 4 })).data<float>());
    }

    [Fact]
    public void Subtraction_from_a_scalar_and_negation_work()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, -2f, 3f });
        Assert.Equal(new[] { 9f, 12f, 7f }, (10 - t).data<float>());
        Assert.Equal(new[] { -9f, -12f, -7f }, (t - 10).data<float>());
        Assert.Equal(new[] { -1f, 2f, -3f }, (-t).data<float>());
        Assert.Equal(new[] { -1f, 2f, -3f }, t.neg().data<float>());
        Assert.Equal(new[] { 3f, -6f, 9f }, t.add(t, 2).data<float>());
        Assert.Equal(new[] { -1f, 2f, -3f }, t.sub(t, 2).data<float>());
        Assert.Equal(new long[] { 9, 7 }, (10 - tensor(new long[] { 1, 3 })).data<long>());
    }

    [Fact]
    public void Remainder_takes_the_sign_of_the_divisor_like_python()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 0.5f, 1.5f }, (tensor(new[] { -3.5f, 3.5f }) % 2).data<float>());
        Assert.Equal(new[] { -1.5f, -0.5f }, (tensor(new[] { -3.5f, 3.5f }) % -2).data<float>());
        Assert.Equal(new long[] { 1, 1 }, (tensor(new long[] { -3, 3 }) % 2).data<long>());
        Assert.Equal(new long[] { -1, -1 }, (tensor(new long[] { -3, 3 }) % tensor(new long[] { -2, -2 })).data<long>());
    }

    [Fact]
    public void Broadcasting_aligns_trailing_dimensions()
    {
        using var scope = torch.NewDisposeScope();
        var col = tensor(new float[] { 1, 2 }, new long[] { 2, 1 });
        var row = tensor(new float[] { 10, 20, 30 });
        var sum = col + row;
        Assert.Equal(new long[] { 2, 3 }, sum.shape);
        Assert.Equal(new float[] { 11, 21, 31, 12, 22, 32 }, sum.data<float>());
        var a = arange(6, float32).view(2, 3, 1);
        var b = tensor(new float[] { 1, -1, 2, 0 }, new long[] { 1, 4 });
        var product = a * b;
        Assert.Equal(new long[] { 2, 3, 4 }, product.shape);
        Assert.Equal(new float[] { 5, -5, 10, 0 }, product[1, 2].data<float>());
        Assert.Equal(new long[] { 3, 2 }, (ones(3, 1) - ones(2)).shape);
        Assert.Equal(new long[] { 2, 3 }, (ones(2, 3) / tensor(2f)).shape);
    }

    [Fact]
    public void Comparisons_give_bool_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var a = tensor(new[] { 1f, 2f, 3f });
        var b = tensor(new[] { 3f, 2f, 1f });
        Assert.Equal(new[] { true, false, false }, (a < b).data<bool>());
        Assert.Equal(new[] { false, false, true }, (a > b).data<bool>());
        Assert.Equal(new[] { true, true, false }, (a <= b).data<bool>());
        Assert.Equal(new[] { false, true, true }, (a >= b).data<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(b).data<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(b).data<bool>());
        Assert.Equal(new[] { true, false, false }, (a < 2).data<bool>());
        Assert.Equal(new[] { false, false, true }, (a > 2.5).data<bool>());
        Assert.Equal(new[] { true, true, false }, (a <= 2).data<bool>());
        Assert.Equal(new[] { false, true, true }, (a >= 2).data<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(2).data<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(2).data<bool>());
        Assert.Equal(ScalarType.Bool, (a < b).dtype);
        Assert.Equal(new[] { true, true, false }, tensor(new long[] { 1, 2, 3 }).lt(2.5).data<bool>());
    }

    [Fact]
    public void Logical_operators_combine_bool_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var p = tensor(new[] { true, true, false, false });
        var q = tensor(new[] { true, false, true, false });
        Assert.Equal(new[] { true, false, false, false }, (p & q).data<bool>());
        Assert.Equal(new[] { true, true, true, false }, (p | q).data<bool>());
        Assert.Equal(new[] { false, false, true, true }, (!p).data<bool>());
        Assert.Equal(new[] { false, true, false, true }, tensor(new[] { 0f, 2f, 0f, -1f }).logical_or(tensor(new[] { false, false, false, false })).data<bool>());
    }

    [Fact]
    public void Equality_operators_keep_reference_semantics()
    {
        using var scope = torch.NewDisposeScope();
        var a = ones(2);
        var b = ones(2);
        var alias = a;
        Assert.False(a == b);
        Assert.True(a != b);
        Assert.True(a == alias);
        Assert.True(a.equal(b));
        Assert.True(a.allclose(b + 1e-9));
        Assert.False(a.allclose(b + 1e-3));
        Assert.False(a.equal(ones(3)));
    }

    [Fact]
    public void Unary_functions_match_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        var g = tensor(new[] { -3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f });
        // Expected values: PyTorch 1.13 on float32, printed to 9 significant digits.
        TensorAssert.Close(new[] { -0.00404986739, -0.158655286, -0.154268786, 0.0, 0.345731199, 0.841344714, 2.99595022 }, g.gelu());
        TensorAssert.Close(new[] { -0.00363743305, -0.158807993, -0.154285997, 0.0, 0.345714003, 0.841192007, 2.99636269 }, g.gelu(true));
        TensorAssert.Close(new[] { -0.142277613, -0.268941432, -0.188770339, 0.0, 0.311229676, 0.731058598, 2.85772252 }, g.silu());
        TensorAssert.Close(new[] { 0.0474258736, 0.268941432, 0.377540678, 0.5, 0.622459352, 0.731058598, 0.952574134 }, g.sigmoid());
        TensorAssert.Close(new[] { -0.995054781, -0.761594176, -0.462117165, 0.0, 0.462117165, 0.761594176, 0.995054781 }, g.tanh());
        TensorAssert.Close(new[] { 0, 0, 0, 0, 0.5, 1, 3.0 }, g.relu());
        TensorAssert.Close(new[] { 3, 1, 0.5, 0, 0.5, 1, 3.0 }, g.abs());
        TensorAssert.Close(new[] { -1, -1, -1, 0, 1, 1, 1.0 }, g.sign());
        TensorAssert.Close(new[] { 9, 1, 0.25, 0, 0.25, 1, 9.0 }, g.square());
        TensorAssert.Close(new[] { -3, -1, -1, 0, 0, 1, 3.0 }, g.floor());
        TensorAssert.Close(new[] { -3, -1, -0.0, 0, 1, 1, 3.0 }, g.ceil());

        var x = tensor(new[] { 0.25, 1, 4 });
        TensorAssert.Close(new[] { Math.Exp(0.25), Math.E, Math.Exp(4) }, x.exp(), 1e-12);
        TensorAssert.Close(new[] { Math.Log(0.25), 0, Math.Log(4) }, x.log(), 1e-12);
        TensorAssert.Close(new[] { 0.5, 1, 2 }, x.sqrt(), 1e-12);
        TensorAssert.Close(new[] { 2, 1, 0.5 }, x.rsqrt(), 1e-12);
        TensorAssert.Close(new[] { 4, 1, 0.25 }, x.reciprocal(), 1e-12);
        TensorAssert.Close(new[] { Math.Sin(0.25), Math.Sin(1), Math.Sin(4) }, x.sin(), 1e-12);
        TensorAssert.Close(new[] { Math.Cos(0.25), Math.Cos(1), Math.Cos(4) }, x.cos(), 1e-12);
    }

    [Fact]
    public void Round_rounds_half_to_even()
    {
        using var scope = torch.NewDisposeScope();
        // torch.round(torch.tensor([2.5, -0.5, 1.5, 0.4999])) = [2., -0., 2., 0.] (PyTorch 1.13).
        Assert.Equal(new[] { 2f, -0f, 2f, 0f }, tensor(new[] { 2.5f, -0.5f, 1.5f, 0.4999f }).round().data<float>());
    }

    [Fact]
    public void Nan_and_infinity_predicates_classify_values()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity });
        Assert.Equal(new[] { false, true, false, false }, t.isnan().data<bool>());
        Assert.Equal(new[] { false, false, true, true }, t.isinf().data<bool>());
        Assert.Equal(new[] { true, false, false, false }, t.isfinite().data<bool>());
        Assert.True(float.IsNaN(tensor(new[] { -1f }).sqrt().item<float>()));
        Assert.Equal(float.NegativeInfinity, tensor(new[] { 0f }).log().item<float>());
    }

    [Fact]
    public void Pow_takes_scalar_and_tensor_exponents()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, 2f, 3f });
        Assert.Equal(new[] { 1f, 4f, 9f }, t.pow(2).data<float>());
        Assert.Equal(new[] { 1f, 0.5f, 1f / 3 }, t.pow(-1).data<float>());
        Assert.Equal(new[] { 1f, 8f, 3f }, t.pow(tensor(new[] { 5f, 3f, 1f })).data<float>());
        Assert.Equal(new long[] { 1, 8, 27 }, tensor(new long[] { 1, 2, 3 }).pow(3).data<long>());
        Assert.Equal(ScalarType.Float32, tensor(new long[] { 4 }).pow(0.5).dtype);
        Assert.Equal(new[] { 2f }, tensor(new long[] { 4 }).pow(0.5).data<float>());
    }

    [Fact]
    public void A_scalar_base_raised_to_a_tensor_follows_pytorch_promotion()
    {
        using var scope = torch.NewDisposeScope();
        // torch.pow(2, torch.tensor([1, 2, 3])) = tensor([2, 4, 8]); torch.pow(2.5, torch.tensor([1, 2])) = [2.5, 6.25].
        var ints = torch.pow(2, tensor(new long[] { 1, 2, 3 }));
        Assert.Equal(ScalarType.Int64, ints.dtype);
        Assert.Equal(new long[] { 2, 4, 8 }, ints.data<long>());
        var floats = torch.pow(2.5, tensor(new long[] { 1, 2 }));
        Assert.Equal(ScalarType.Float32, floats.dtype);
        Assert.Equal(new[] { 2.5f, 6.25f }, floats.data<float>());
        Assert.Equal(new[] { 1f, 9f }, torch.pow(tensor(new[] { 1f, 3f }), 2).data<float>());
        Assert.Equal(new[] { 1f, 27f }, torch.pow(tensor(new[] { 1f, 3f }), tensor(new[] { 5f, 3f })).data<float>());
    }

    [Fact]
    public void Maximum_and_minimum_compare_element_wise_and_propagate_nan()
    {
        using var scope = torch.NewDisposeScope();
        var a = tensor(new[] { 1f, 5f, float.NaN });
        var b = tensor(new[] { 3f, 2f, 0f });
        Assert.Equal(new[] { 3f, 5f }, a.maximum(b).data<float>().Take(2));
        Assert.True(float.IsNaN(a.maximum(b).data<float>()[2]));
        Assert.Equal(new[] { 1f, 2f }, a.minimum(b).data<float>().Take(2));
        Assert.True(float.IsNaN(a.minimum(b).data<float>()[2]));
        Assert.Equal(new float[] { 2, 2, 3 }, tensor(new float[] { 1, 2, 3 }).maximum(tensor(2f)).data<float>());
    }

    [Fact]
    public void Clamp_limits_values_on_either_side()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { -2f, -0.5f, 0.5f, 2f });
        Assert.Equal(new[] { -1f, -0.5f, 0.5f, 1f }, t.clamp(-1, 1).data<float>());
        Assert.Equal(new[] { 0f, 0f, 0.5f, 2f }, t.clamp_min(0).data<float>());
        Assert.Equal(new[] { -2f, -0.5f, 0f, 0f }, t.clamp_max(0).data<float>());
        Assert.Equal(new[] { -2f, -0.5f, 0.5f, 1f }, t.clamp(max: 1).data<float>());
        var u = t.clone();
        Assert.Same(u, u.clamp_(-1, 0));
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0f }, u.data<float>());
    }

    [Fact]
    public void Clamping_an_integer_tensor_with_integer_bounds_keeps_its_dtype()
    {
        using var scope = torch.NewDisposeScope();
        // torch.clamp(torch.tensor([1, 5]), min=2) = tensor([2, 5]) (int64); with min=2.5 it promotes to float32.
        var t = tensor(new long[] { 1, 5, 9 });
        var clamped = t.clamp(2, 6);
        Assert.Equal(ScalarType.Int64, clamped.dtype);
        Assert.Equal(new long[] { 2, 5, 6 }, clamped.data<long>());
        Assert.Equal(ScalarType.Int64, t.clamp_min(2).dtype);
        Assert.Equal(ScalarType.Int64, t.clamp_max(2).dtype);
        var promoted = t.clamp(min: 2.5);
        Assert.Equal(ScalarType.Float32, promoted.dtype);
        Assert.Equal(new[] { 2.5f, 5f, 9f }, promoted.data<float>());
        var inPlace = tensor(new[] { 1, 5, 9 });
        inPlace.clamp_(2, 6);
        Assert.Equal(new[] { 2, 5, 6 }, inPlace.data<int>());
    }

    [Fact]
    public void Clamp_without_bounds_is_an_error()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(2).clamp());
        Assert.Contains("At least one of 'min' or 'max' must not be None", e.Message);
    }

    [Fact]
    public void Matrix_products_match_hand_computed_values()
    {
        using var scope = torch.NewDisposeScope();
        var a = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var b = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 2, -1 } });
        Assert.Equal(new float[] { 7, -1, 16, -1 }, a.matmul(b).data<float>());
        Assert.Equal(new float[] { 7, -1, 16, -1 }, a.mm(b).data<float>());
        var v = tensor(new float[] { 1, -1, 2 });
        Assert.Equal(new float[] { 5, 11 }, a.matmul(v).data<float>());
        var dot = v.matmul(v);
        Assert.Equal(0, dot.dim());
        Assert.Equal(6f, dot.item<float>());
        Assert.Equal(new float[] { 1, -1, 2, -1, 1, -2, 2, -2, 4 }, v.outer(v).data<float>());
        var batch = stack(new[] { a, a * 2 });
        var bb = batch.matmul(b);
        Assert.Equal(new long[] { 2, 2, 2 }, bb.shape);
        Assert.Equal(new float[] { 7, -1, 16, -1, 14, -2, 32, -2 }, bb.data<float>());
        Assert.Equal(bb.data<float>(), batch.bmm(stack(new[] { b, b })).data<float>());
    }

    [Fact]
    public void Baddbmm_scales_and_adds_the_batched_product()
    {
        using var scope = torch.NewDisposeScope();
        var self = ones(2, 1, 2);
        var b1 = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 1, 2 });
        var b2 = tensor(new float[] { 1, 0, 0, 1, 2, 0, 0, 2 }, new long[] { 2, 2, 2 });
        // beta·self + alpha·(b1 @ b2): batch 0 = [1,2]·I = [1,2]; batch 1 = [3,4]·2I = [6,8].
        Assert.Equal(new float[] { 2, 3, 7, 9 }, self.baddbmm(b1, b2).data<float>());
        Assert.Equal(new float[] { 2.5f, 4.5f, 12.5f, 16.5f }, self.baddbmm(b1, b2, beta: 0.5, alpha: 2).data<float>());
        Assert.Equal(new float[] { 1, 2, 6, 8 }, zeros(1, 2).baddbmm(b1, b2, beta: 0).data<float>());
    }

    [Fact]
    public void Linear_multiplies_by_the_transposed_weight_and_adds_the_bias()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new float[,] { { 1, 2 }, { 3, 4 } });
        var w = tensor(new float[,] { { 1, 1 }, { 1, -1 }, { 0, 2 } });
        var bias = tensor(new float[] { 0.5f, 0, -1 });
        Assert.Equal(new float[] { 3.5f, -1, 3, 7.5f, -1, 7 }, nn.functional.linear(x, w, bias).data<float>());
        Assert.Equal(new float[] { 3, -1, 4, 7, -1, 8 }, nn.functional.linear(x, w).data<float>());
        Assert.Equal(new long[] { 2, 1, 3 }, nn.functional.linear(x.view(2, 1, 2), w).shape);
    }

    [Fact]
    public void In_place_arithmetic_updates_the_tensor_and_returns_it()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, 2f, 3f });
        var d = tensor(new[] { 1f, 1f, 2f });
        Assert.Same(t, t.add_(d));
        Assert.Equal(new[] { 2f, 3f, 5f }, t.data<float>());
        Assert.Same(t, t.add_(d, -2));
        Assert.Equal(new[] { 0f, 1f, 1f }, t.data<float>());
        Assert.Same(t, t.add_(1));
        Assert.Same(t, t.sub_(d));
        Assert.Equal(new[] { 0f, 1f, 0f }, t.data<float>());
        Assert.Same(t, t.sub_(d, 0.5));
        Assert.Same(t, t.sub_(0.5));
        Assert.Equal(new[] { -1f, 0f, -1.5f }, t.data<float>());
        Assert.Same(t, t.mul_(d));
        Assert.Same(t, t.mul_(-2));
        Assert.Equal(new[] { 2f, 0f, 6f }, t.data<float>());
        Assert.Same(t, t.div_(d));
        Assert.Same(t, t.div_(2));
        Assert.Equal(new[] { 1f, 0f, 1.5f }, t.data<float>());
    }

    [Fact]
    public void Fused_in_place_updates_match_their_definitions()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1.0, 2.0 });
        var a = tensor(new[] { 2.0, 3.0 });
        var b = tensor(new[] { 4.0, 0.5 });
        t.addcmul_(a, b, 0.5);         // 1 + 0.5·8 = 5, 2 + 0.5·1.5 = 2.75
        Assert.Equal(new[] { 5.0, 2.75 }, t.data<double>());
        t.addcdiv_(a, b);              // 5 + 0.5 = 5.5, 2.75 + 6 = 8.75
        Assert.Equal(new[] { 5.5, 8.75 }, t.data<double>());
        t.lerp_(tensor(new[] { 7.5, 0.75 }), 0.5);  // halfway
        Assert.Equal(new[] { 6.5, 4.75 }, t.data<double>());
        t.copy_(tensor(new[] { 3.0 }));  // broadcasts
        Assert.Equal(new[] { 3.0, 3.0 }, t.data<double>());
        t.fill_(-4);
        Assert.Equal(new[] { -4.0, -4.0 }, t.data<double>());
        t.neg_().sqrt_();
        Assert.Equal(new[] { 2.0, 2.0 }, t.data<double>());
        t.exp_();
        Assert.Equal(Math.Exp(2), t.data<double>()[0], 12);
        t.zero_();
        Assert.Equal(new[] { 0.0, 0.0 }, t.data<double>());
        var r = tensor(new[] { -1f, 2f });
        Assert.Same(r, r.relu_());
        Assert.Equal(new[] { 0f, 2f }, r.data<float>());
        var c = zeros(new long[] { 2 }, int32);
        c.copy_(tensor(new[] { 1.9f, -2.9f }));  // copy_ converts
        Assert.Equal(new[] { 1, -2 }, c.data<int>());
    }

    [Fact]
    public void In_place_float_results_cannot_be_stored_in_an_integer_tensor()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => tensor(new long[] { 1 }).add_(2.5));
        Assert.Contains("result type Float can't be cast to the desired output type Long", e.Message);
    }
}
