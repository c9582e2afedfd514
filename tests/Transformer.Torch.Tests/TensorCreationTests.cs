// Creation in every dtype, round trips between .NET arrays and tensors, and conversions.
namespace Transformer.Torch.Tests;

public class TensorCreationTests
{
    public static readonly TheoryData<ScalarType> AllDtypes = new()
    {
        ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16,
        ScalarType.Int64, ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    };

    private static double[] Values(Tensor t)
    {
        using var d = t.to(ScalarType.Float64);
        return d.data<double>();
    }

    [Theory]
    [MemberData(nameof(AllDtypes))]
    public void Zeros_ones_and_full_have_the_requested_dtype_shape_and_values(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var z = zeros(new long[] { 2, 3 }, dtype);
        var o = ones(new long[] { 2, 3 }, dtype);
        var f = full(new long[] { 3, 1 }, 5, dtype);
        var e = empty(new long[] { 4 }, dtype);
        Assert.All(new[] { z, o, f, e }, t => Assert.Equal(dtype, t.dtype));
        Assert.Equal(new long[] { 2, 3 }, z.shape);
        Assert.Equal(new long[] { 3, 1 }, f.shape);
        Assert.Equal(4, e.numel());
        Assert.Equal(new double[6], Values(z));
        Assert.Equal(Enumerable.Repeat(1.0, 6), Values(o));
        Assert.Equal(Enumerable.Repeat(dtype == ScalarType.Bool ? 1.0 : 5.0, 3), Values(f));
        Assert.Equal(ElementTypesSize(dtype), z.element_size());
        Assert.Equal(6 * ElementTypesSize(dtype), z.nbytes);
        Assert.Equal(dtype is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16, z.is_floating_point());
    }

    [Theory]
    [MemberData(nameof(AllDtypes))]
    public void Ranges_and_random_creation_support_the_same_dtypes_as_pytorch(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        // PyTorch 1.13 on CPU: arange/linspace work for every dtype but bool; rand/randn only for
        // floating dtypes ("check_uniform_bounds"/"normal_kernel_cpu" not implemented otherwise); randint for all.
        var floating = dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
        if (dtype == ScalarType.Bool)
        {
            Assert.Contains("\"arange_cpu\" not implemented for 'Bool'", Assert.Throws<TorchException>(() => arange(3, dtype)).Message);
            Assert.Contains("\"linspace_cpu\" not implemented for 'Bool'", Assert.Throws<TorchException>(() => linspace(0, 2, 3, dtype)).Message);
        }
        else
        {
            Assert.Equal(new double[] { 0, 1, 2 }, Values(arange(3, dtype)));
            Assert.Equal(dtype, arange(3, dtype).dtype);
            Assert.Equal(new double[] { 0, 1, 2 }, Values(linspace(0, 2, 3, dtype)));
        }
        if (floating)
        {
            Assert.Equal(dtype, rand(new long[] { 4 }, dtype).dtype);
            Assert.All(Values(rand(new long[] { 50 }, dtype)), v => Assert.InRange(v, 0.0, 1.0));
            Assert.Equal(dtype, randn(new long[] { 4 }, dtype).dtype);
        }
        else
        {
            Assert.Contains("\"check_uniform_bounds\" not implemented", Assert.Throws<TorchException>(() => rand(new long[] { 2 }, dtype)).Message);
            Assert.Contains("\"normal_kernel_cpu\" not implemented", Assert.Throws<TorchException>(() => randn(new long[] { 2 }, dtype)).Message);
        }
        var ints = randint(0, 2, new long[] { 20 }, dtype);
        Assert.Equal(dtype, ints.dtype);
        Assert.All(Values(ints), v => Assert.True(v is 0 or 1));
    }

    private static long ElementTypesSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        _ => 8,
    };

    [Theory]
    [MemberData(nameof(AllDtypes))]
    public void Converting_small_integers_to_any_dtype_and_back_is_exact(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var source = tensor(new double[] { 0, 1, 2, 3, 100, 7 }, new long[] { 2, 3 });
        var converted = source.to(dtype);
        Assert.Equal(dtype, converted.dtype);
        var expected = dtype == ScalarType.Bool ? new double[] { 0, 1, 1, 1, 1, 1 } : new double[] { 0, 1, 2, 3, 100, 7 };
        Assert.Equal(expected, Values(converted));
    }

    [Fact]
    public void Float32_and_float64_arrays_round_trip_bit_for_bit()
    {
        using var scope = torch.NewDisposeScope();
        var f = new[] { 1.5f, -0.1f, float.MaxValue, float.Epsilon, float.NegativeInfinity, 0f, -0f };
        var t = tensor(f);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new long[] { 7 }, t.shape);
        Assert.Equal(f.Select(BitConverter.SingleToInt32Bits), t.data<float>().Select(BitConverter.SingleToInt32Bits));
        Assert.True(float.IsNaN(tensor(new[] { float.NaN }).data<float>()[0]));

        var d = new[] { Math.PI, -1e-300, double.MaxValue, double.Epsilon };
        var u = tensor(d, new long[] { 2, 2 });
        Assert.Equal(ScalarType.Float64, u.dtype);
        Assert.Equal(d, u.data<double>());
    }

    [Fact]
    public void Integer_arrays_round_trip_with_their_dtype()
    {
        using var scope = torch.NewDisposeScope();
        var longs = new[] { long.MinValue, -1L, 0L, long.MaxValue };
        Assert.Equal(longs, tensor(longs).data<long>());
        Assert.Equal(ScalarType.Int64, tensor(longs).dtype);
        var ints = new[] { int.MinValue, -7, int.MaxValue };
        Assert.Equal(ints, tensor(ints).data<int>());
        Assert.Equal(ScalarType.Int32, tensor(ints).dtype);
        var shorts = new short[] { short.MinValue, 3, short.MaxValue };
        Assert.Equal(shorts, tensor(shorts).data<short>());
        Assert.Equal(ScalarType.Int16, tensor(shorts).dtype);
        var sbytes = new sbyte[] { -128, -1, 0, 127 };
        Assert.Equal(sbytes, tensor(sbytes).data<sbyte>());
        Assert.Equal(ScalarType.Int8, tensor(sbytes).dtype);
        var bytes = new byte[] { 0, 1, 128, 255 };
        Assert.Equal(bytes, tensor(bytes).data<byte>());
        Assert.Equal(ScalarType.Byte, tensor(bytes).dtype);
    }

    [Fact]
    public void Bool_arrays_round_trip()
    {
        using var scope = torch.NewDisposeScope();
        var b = new[] { true, false, false, true, true, false };
        var t = tensor(b, new long[] { 3, 2 });
        Assert.Equal(ScalarType.Bool, t.dtype);
        Assert.Equal(b, t.data<bool>());
        Assert.Equal(new[] { true, false }, t[0].data<bool>());
    }

    [Fact]
    public void Float16_arrays_round_trip_and_floats_round_to_nearest_half()
    {
        using var scope = torch.NewDisposeScope();
        var h = new[] { (Half)1.5, (Half)(-0.25), Half.MaxValue, Half.Epsilon, (Half)0.0999755859375 };
        var t = tensor(h);
        Assert.Equal(ScalarType.Float16, t.dtype);
        Assert.Equal(h, t.data<Half>());
        // torch.tensor([0.1]).half().float() = 0.0999755859375 (PyTorch 1.13).
        Assert.Equal(0.0999755859375f, tensor(new[] { 0.1f }).half().@float().item<float>());
        Assert.Equal((Half)0.0999755859375, tensor(new[] { 0.1f }, dtype: float16).item<Half>());
    }

    [Fact]
    public void Bfloat16_round_trips_through_its_bit_patterns_and_float32()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, 0.5f, -2f, 3.140625f }, dtype: bfloat16);
        Assert.Equal(ScalarType.BFloat16, t.dtype);
        // bfloat16 is the upper half of float32: 1 = 0x3F80, 0.5 = 0x3F00, −2 = 0xC000, 3.140625 = 0x4049.
        Assert.Equal(new ushort[] { 0x3F80, 0x3F00, 0xC000, 0x4049 }, t.data<ushort>());
        Assert.Equal(new[] { 1f, 0.5f, -2f, 3.140625f }, t.@float().data<float>());
        // torch.tensor([3.14159]).bfloat16().float() = 3.140625 (PyTorch 1.13).
        Assert.Equal(3.140625f, tensor(new[] { 3.14159f }).bfloat16().@float().item<float>());
        var raw = frombuffer(new byte[] { 0x80, 0x3F, 0x00, 0xC0 }, new long[] { 2 }, bfloat16);
        Assert.Equal(new[] { 1f, -2f }, raw.@float().data<float>());
    }

    [Fact]
    public void Raw_bytes_round_trip_through_frombuffer_and_bytes()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1f, -2f, 0.5f }, new long[] { 3 });
        var raw = t.bytes();
        Assert.Equal(12, raw.Length);
        var back = frombuffer(raw, new long[] { 3, 1 }, float32);
        Assert.Equal(new long[] { 3, 1 }, back.shape);
        Assert.Equal(new[] { 1f, -2f, 0.5f }, back.data<float>());
        var span = new byte[12];
        t.CopyBytesTo(span);
        Assert.Equal(raw, span);
    }

    [Fact]
    public void Two_and_three_dimensional_arrays_keep_their_shape_in_row_major_order()
    {
        using var scope = torch.NewDisposeScope();
        var m = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, m.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, m.data<float>());
        Assert.Equal(6f, m[1, 2].item<float>());
        var c = tensor(new long[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } });
        Assert.Equal(new long[] { 2, 2, 2 }, c.shape);
        Assert.Equal(7L, c[1, 1, 0].item<long>());
        var converted = tensor(new int[,] { { 1, 2 } }, dtype: float64);
        Assert.Equal(ScalarType.Float64, converted.dtype);
        Assert.Equal(new double[] { 1, 2 }, converted.data<double>());
    }

    [Fact]
    public void Scalars_make_zero_dimensional_tensors_and_item_reads_them_back()
    {
        using var scope = torch.NewDisposeScope();
        var f = tensor(2.5f);
        Assert.Equal(0, f.dim());
        Assert.Empty(f.shape);
        Assert.Equal(1, f.numel());
        Assert.Equal(2.5f, f.item<float>());
        Assert.Equal(2.5, tensor(2.5).item<double>());
        Assert.Equal(ScalarType.Float64, tensor(2.5).dtype);
        Assert.Equal(-3L, tensor(-3L).item<long>());
        Assert.Equal(7, tensor(7).item<int>());
        Assert.True(tensor(true).item<bool>());
        Assert.Equal((byte)200, tensor(new byte[] { 200 }).item<byte>());
        Assert.Equal((sbyte)-5, tensor(new sbyte[] { -5 }).item<sbyte>());
        Assert.Equal((short)-300, tensor(new short[] { -300 }).item<short>());
        var s = tensor(new[] { 4L }).item();
        Assert.True(s.IsIntegral);
        Assert.Equal(4L, s.ToInt64());
        Assert.True(tensor(1.5f).item().IsFloatingPoint);
        Assert.True(tensor(false).item().IsBoolean);
    }

    [Fact]
    public void Item_of_a_tensor_with_several_elements_is_an_error()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(3).item<float>());
        Assert.Contains("a Tensor with 3 elements cannot be converted to Scalar", e.Message);
    }

    [Fact]
    public void Reading_data_as_the_wrong_element_type_is_an_argument_error()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ones(3).data<double>());
        Assert.Contains("Float32", e.Message);
        Assert.Throws<ArgumentException>(() => ones(new long[] { 3 }, int64).data<int>());
    }

    [Fact]
    public void Full_infers_int64_float32_or_bool_from_the_value_like_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(ScalarType.Int64, full(new long[] { 2 }, 7).dtype);
        Assert.Equal(new long[] { 7, 7 }, full(new long[] { 2 }, 7).data<long>());
        Assert.Equal(ScalarType.Float32, full(new long[] { 2 }, 2.5).dtype);
        Assert.Equal(new[] { 2.5f, 2.5f }, full(new long[] { 2 }, 2.5).data<float>());
        Assert.Equal(ScalarType.Bool, full(new long[] { 1 }, true).dtype);
        Assert.Equal(new[] { float.NegativeInfinity }, full(new long[] { 1 }, double.NegativeInfinity).data<float>());
    }

    [Fact]
    public void Arange_follows_pytorch_dtype_inference_and_bounds()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, arange(5).data<long>());
        Assert.Equal(ScalarType.Int64, arange(5).dtype);
        Assert.Equal(new long[] { 1, 4, 7 }, arange(1, 10, 3).data<long>());
        Assert.Equal(new long[] { 5, 3, 1 }, arange(5, 0, -2).data<long>());
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f }, arange(0, 1, 0.25).data<float>());
        Assert.Equal(ScalarType.Float32, arange(0.0, 3.0).dtype);
        Assert.Equal(new double[] { 2, 3 }, arange(2, 4, float64).data<double>());
        Assert.Equal(0, arange(0).numel());
    }

    [Fact]
    public void Linspace_includes_both_ends()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, linspace(0, 1, 5).data<float>());
        Assert.Equal(new double[] { -1, 1 }, linspace(-1, 1, 2, float64).data<double>());
        Assert.Equal(new float[] { 3 }, linspace(3, 7, 1).data<float>());
    }

    [Fact]
    public void Random_creation_respects_dtype_shape_and_range()
    {
        using var scope = torch.NewDisposeScope();
        var r = rand(new long[] { 100, 10 }, float64);
        Assert.Equal(ScalarType.Float64, r.dtype);
        Assert.All(r.data<double>(), v => Assert.InRange(v, 0.0, 0.9999999999999999));
        var n = randn(1000, 10);
        Assert.Equal(ScalarType.Float32, n.dtype);
        Assert.InRange(n.mean().item<float>(), -0.05f, 0.05f);
        Assert.InRange(n.std().item<float>(), 0.95f, 1.05f);
        var i = randint(-3, 4, new long[] { 1000 });
        Assert.Equal(ScalarType.Int64, i.dtype);
        Assert.All(i.data<long>(), v => Assert.InRange(v, -3L, 3L));
        Assert.Equal(7, i.data<long>().Distinct().Count());
        Assert.Equal(ScalarType.Int32, randint(5, new long[] { 3 }, int32).dtype);
        Assert.Equal(ScalarType.Float16, rand(new long[] { 2 }, float16).dtype);
    }

    [Fact]
    public void Like_functions_copy_shape_and_dtype()
    {
        using var scope = torch.NewDisposeScope();
        var t = ones(new long[] { 2, 3 }, int32);
        foreach (var like in new[] { zeros_like(t), ones_like(t), empty_like(t), full_like(t, 4) })
        {
            Assert.Equal(new long[] { 2, 3 }, like.shape);
            Assert.Equal(ScalarType.Int32, like.dtype);
        }
        Assert.Equal(Enumerable.Repeat(4, 6), full_like(t, 4).data<int>());
        var f = ones(new long[] { 3 }, float64);
        Assert.Equal(ScalarType.Float64, rand_like(f).dtype);
        Assert.Equal(ScalarType.Float64, randn_like(f).dtype);
    }

    [Fact]
    public void Creation_can_ask_for_gradients()
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(zeros(new long[] { 2 }, requires_grad: true).requires_grad);
        Assert.True(tensor(new[] { 1.0 }, requires_grad: true).requires_grad);
        Assert.True(tensor(new[] { 1.0 }, requires_grad: true).is_leaf);
        Assert.False(ones(2).requires_grad);
        Assert.Equal(ScalarType.Float32, zeros(2).dtype);
        Assert.Equal(torch.CPU, zeros(2).device);
        Assert.Equal("cpu", zeros(2).device.ToString());
    }

    [Fact]
    public void Float_to_integer_conversion_truncates_toward_zero()
    {
        using var scope = torch.NewDisposeScope();
        var t = tensor(new[] { 1.7f, -1.7f, 2.9f });
        Assert.Equal(new[] { 1, -1, 2 }, t.@int().data<int>());
        Assert.Equal(new long[] { 1, -1, 2 }, t.@long().data<long>());
        Assert.Equal(new[] { true, true, false }, tensor(new[] { 0.5f, -1f, 0f }).@bool().data<bool>());
        Assert.Equal(new[] { 1.7, -1.7, 2.9 }.Select(v => (double)(float)v), t.@double().data<double>());
    }

    [Fact]
    public void To_returns_a_new_tensor_and_copy_forces_a_copy()
    {
        using var scope = torch.NewDisposeScope();
        var t = ones(3);
        var same = t.to(float32);
        same.add_(1);
        Assert.Equal(new[] { 2f, 2f, 2f }, t.data<float>()); // no conversion: shares storage, as in PyTorch
        var copy = t.to(float32, copy: true);
        copy.add_(1);
        Assert.Equal(new[] { 2f, 2f, 2f }, t.data<float>());
        var other = zeros(new long[] { 1 }, float64);
        Assert.Equal(ScalarType.Float64, t.to(other).dtype);
        Assert.Equal(ScalarType.Float32, t.to("cpu").dtype);
        Assert.Equal(ScalarType.Float32, t.cpu().dtype);
    }

    [Fact]
    public void Empty_tensors_have_no_elements_and_empty_arrays()
    {
        using var scope = torch.NewDisposeScope();
        var t = zeros(0, 3);
        Assert.Equal(0, t.numel());
        Assert.Equal(new long[] { 0, 3 }, t.shape);
        Assert.Empty(t.data<float>());
        Assert.Empty(tensor(Array.Empty<long>()).data<long>());
        Assert.Equal(0f, t.sum().item<float>());
    }

    [Fact]
    public void A_collection_expression_shape_picks_the_array_overload()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
    }

    [Fact]
    public void Frombuffer_with_a_huge_wrong_shape_fails_before_allocating()
    {
        var e = Assert.Throws<TorchException>(() => frombuffer(new byte[16], new long[] { 1L << 40, 1L << 20 }, float32));
        Assert.Contains("does not match shape", e.Message);
        var overflow = Assert.Throws<TorchException>(() => frombuffer(new byte[16], new long[] { 1L << 40, 1L << 40 }, float32));
        Assert.Contains("overflows", overflow.Message);
    }

    [Fact]
    public void Frombuffer_rejects_bool_bytes_other_than_0_and_1()
    {
        var e = Assert.Throws<ArgumentException>(() => frombuffer(new byte[] { 0, 1, 2 }, new long[] { 3 }, ScalarType.Bool));
        Assert.Contains("byte 2 is 2", e.Message);
        using var ok = frombuffer(new byte[] { 0, 1, 1 }, new long[] { 3 }, ScalarType.Bool);
        Assert.Equal(new[] { false, true, true }, ok.data<bool>());
    }
}
