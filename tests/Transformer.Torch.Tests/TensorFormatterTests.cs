// Tensor.ToString() against PyTorch: every expected string below was produced by PyTorch 1.13.1 itself,
// `/usr/bin/python3 -c "import torch; print(repr(repr(<the same tensor>)))"`, and pasted in unchanged,
// so they are the independent truth. The C# builders make the same tensors from the same values.
namespace Transformer.Torch.Tests;

public class TensorFormatterTests
{
    private static float[] Floats(int n, Func<int, float> f) => Enumerable.Range(0, n).Select(f).ToArray();
    private static long[] Longs(int n, Func<long, long> f) => Enumerable.Range(0, n).Select(i => f(i)).ToArray();

    private static Tensor Transposed(Tensor t)
    {
        using (t) return t.t(); // a non-contiguous view
    }

    private static readonly Dictionary<string, Func<Tensor>> Builders = new()
    {
        ["float_mixed"] = () => tensor(new[] { 1.5f, 2.25f, -3.125f }),
        ["float_int_mode"] = () => tensor(new[] { 1f, 2f, 3f }),
        ["negative_zero"] = () => tensor(new[] { -0f, 1f }),
        ["float_2d"] = () => tensor(new[,] { { 1.5f, 2f }, { 3f, -4f } }),
        ["int_3d"] = () => tensor(Longs(24, i => i), new long[] { 2, 3, 4 }),
        ["float_4d"] = () => tensor(Floats(8, i => i / 4f), new long[] { 2, 1, 2, 2 }),
        ["sci_ratio"] = () => tensor(new[] { 0.001f, 12.5f }),
        ["sci_big"] = () => tensor(new[] { 1.5e9f, 2.5f }),
        ["sci_small"] = () => tensor(new[] { 1e-5f, 2.5e-5f, 0f }),
        ["int_mode_sci"] = () => tensor(new[] { 1f, 1e9f, -3f }),
        ["nan_inf"] = () => tensor(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1.5f }),
        ["nan_inf_int_mode"] = () => tensor(new[] { float.NaN, 10f, float.NegativeInfinity }),
        ["zeros"] = () => zeros(3),
        ["all_nan"] = () => tensor(new[] { float.NaN, float.NaN }),
        ["bool"] = () => tensor(new[] { true, false }),
        ["bool_2d"] = () => tensor(new[,] { { true, true }, { false, true } }),
        ["int32"] = () => tensor(new[] { 1, -20, 300 }),
        ["uint8"] = () => tensor(new byte[] { 0, 7, 255 }),
        ["int8_2d"] = () => tensor(new sbyte[,] { { -128, 5 }, { 127, 0 } }),
        ["int16"] = () => tensor(new short[] { -5, 1000 }),
        ["int64_extremes"] = () => tensor(new[] { long.MinValue, long.MaxValue }),
        ["float64"] = () => tensor(new[] { 1.25, 2.5, 1.0 / 3.0 }),
        ["float16"] = () => tensor(new[] { 0.1f, 0.2f, 65504f }, dtype: float16),
        ["bfloat16"] = () => tensor(new[] { 0.1f, -3f, 100.5f }, dtype: bfloat16),
        ["scalar_float"] = () => tensor(3.5f),
        ["scalar_int"] = () => tensor(7L),
        ["scalar_bool"] = () => tensor(false),
        ["scalar_float64_neg"] = () => tensor(-0.25),
        ["scalar_nan"] = () => tensor(float.NaN),
        ["scalar_small"] = () => tensor(1e-7f),
        ["empty"] = () => tensor(Array.Empty<float>()),
        ["empty_0x3"] = () => zeros(0, 3),
        ["empty_int64"] = () => tensor(Array.Empty<long>()),
        ["empty_2x0_float64"] = () => zeros(new long[] { 2, 0 }, float64),
        ["requires_grad"] = () => tensor(new[] { 1f, 2f }, requires_grad: true),
        ["requires_grad_scalar_f64"] = () => tensor(2.5, requires_grad: true),
        ["wrap_float"] = () => tensor(Floats(30, i => i / 8f)),
        ["wrap_int"] = () => tensor(Longs(40, i => i * 37)),
        ["wrap_2d"] = () => tensor(Floats(60, i => i / 3f), new long[] { 2, 30 }),
        ["summ_1d"] = () => tensor(Longs(1001, i => i)),
        ["summ_1d_float"] = () => tensor(Floats(2000, i => i / 16f)),
        ["summ_2d"] = () => tensor(Floats(2000, i => i), new long[] { 40, 50 }),
        ["summ_3d"] = () => tensor(Longs(1200, i => i), new long[] { 10, 10, 12 }),
        ["summ_narrow_dim"] = () => tensor(Longs(1004, i => i), new long[] { 251, 4 }),
        ["suffix_wrap"] = () => tensor(Floats(20, i => i / 4f), dtype: float64, requires_grad: true),
        ["rounding_ties"] = () => tensor(new[] { 0.03125, 1.03125, 2.5 }),
        ["sci_rounding_ties"] = () => tensor(new[] { 1.03125e-5, 9.99995e9, 0.5 }),
        ["float32_inexact"] = () => tensor(new[] { 0.1f, 123.456f, -7.0001f }),
        ["sci_neg_exp3"] = () => tensor(new[] { 1e-120, 3e150 }),
        ["suffix_newline"] = () => tensor(Floats(18, i => i / 3f), dtype: float64, requires_grad: true),
        ["suffix_newline_int"] = () => tensor(Longs(24, i => i * 1001), dtype: int32),
        ["sci_ties_even"] = () => tensor(new[] { 1000050000.0, 0.5 }),
        ["int_mode_neg"] = () => tensor(new[,] { { -1f, 100f }, { 7f, 0f } }),
        ["float64_extremes"] = () => tensor(new[] { double.Epsilon, double.MaxValue, -2.5 }),
        ["ties_to_even_up"] = () => tensor(new[] { 0.09375, 1.0 }),
        ["transposed"] = () => Transposed(tensor(Floats(6, i => i / 2f), new long[] { 2, 3 })),
        ["bool_summ"] = () => tensor(Enumerable.Range(0, 1500).Select(i => i % 3 == 0).ToArray()),
    };

    [Theory]
    [InlineData("float_mixed", "tensor([ 1.5000,  2.2500, -3.1250])")]
    [InlineData("float_int_mode", "tensor([1., 2., 3.])")]
    [InlineData("negative_zero", "tensor([-0., 1.])")]
    [InlineData("float_2d", "tensor([[ 1.5000,  2.0000],\n        [ 3.0000, -4.0000]])")]
    [InlineData("int_3d", "tensor([[[ 0,  1,  2,  3],\n         [ 4,  5,  6,  7],\n         [ 8,  9, 10, 11]],\n\n        [[12, 13, 14, 15],\n         [16, 17, 18, 19],\n         [20, 21, 22, 23]]])")]
    [InlineData("float_4d", "tensor([[[[0.0000, 0.2500],\n          [0.5000, 0.7500]]],\n\n\n        [[[1.0000, 1.2500],\n          [1.5000, 1.7500]]]])")]
    [InlineData("sci_ratio", "tensor([1.0000e-03, 1.2500e+01])")]
    [InlineData("sci_big", "tensor([1.5000e+09, 2.5000e+00])")]
    [InlineData("sci_small", "tensor([1.0000e-05, 2.5000e-05, 0.0000e+00])")]
    [InlineData("int_mode_sci", "tensor([ 1.0000e+00,  1.0000e+09, -3.0000e+00])")]
    [InlineData("nan_inf", "tensor([   nan,    inf,   -inf, 1.5000])")]
    [InlineData("nan_inf_int_mode", "tensor([nan, 10., -inf])")]
    [InlineData("zeros", "tensor([0., 0., 0.])")]
    [InlineData("all_nan", "tensor([nan, nan])")]
    [InlineData("bool", "tensor([ True, False])")]
    [InlineData("bool_2d", "tensor([[ True,  True],\n        [False,  True]])")]
    [InlineData("int32", "tensor([  1, -20, 300], dtype=torch.int32)")]
    [InlineData("uint8", "tensor([  0,   7, 255], dtype=torch.uint8)")]
    [InlineData("int8_2d", "tensor([[-128,    5],\n        [ 127,    0]], dtype=torch.int8)")]
    [InlineData("int16", "tensor([  -5, 1000], dtype=torch.int16)")]
    [InlineData("int64_extremes", "tensor([-9223372036854775808,  9223372036854775807])")]
    [InlineData("float64", "tensor([1.2500, 2.5000, 0.3333], dtype=torch.float64)")]
    [InlineData("float16", "tensor([9.9976e-02, 1.9995e-01, 6.5504e+04], dtype=torch.float16)")]
    [InlineData("bfloat16", "tensor([ 1.0010e-01, -3.0000e+00,  1.0050e+02], dtype=torch.bfloat16)")]
    [InlineData("scalar_float", "tensor(3.5000)")]
    [InlineData("scalar_int", "tensor(7)")]
    [InlineData("scalar_bool", "tensor(False)")]
    [InlineData("scalar_float64_neg", "tensor(-0.2500, dtype=torch.float64)")]
    [InlineData("scalar_nan", "tensor(nan)")]
    [InlineData("scalar_small", "tensor(1.0000e-07)")]
    [InlineData("empty", "tensor([])")]
    [InlineData("empty_0x3", "tensor([], size=(0, 3))")]
    [InlineData("empty_int64", "tensor([], dtype=torch.int64)")]
    [InlineData("empty_2x0_float64", "tensor([], size=(2, 0), dtype=torch.float64)")]
    [InlineData("requires_grad", "tensor([1., 2.], requires_grad=True)")]
    [InlineData("requires_grad_scalar_f64", "tensor(2.5000, dtype=torch.float64, requires_grad=True)")]
    [InlineData("wrap_float", "tensor([0.0000, 0.1250, 0.2500, 0.3750, 0.5000, 0.6250, 0.7500, 0.8750, 1.0000,\n        1.1250, 1.2500, 1.3750, 1.5000, 1.6250, 1.7500, 1.8750, 2.0000, 2.1250,\n        2.2500, 2.3750, 2.5000, 2.6250, 2.7500, 2.8750, 3.0000, 3.1250, 3.2500,\n        3.3750, 3.5000, 3.6250])")]
    [InlineData("wrap_int", "tensor([   0,   37,   74,  111,  148,  185,  222,  259,  296,  333,  370,  407,\n         444,  481,  518,  555,  592,  629,  666,  703,  740,  777,  814,  851,\n         888,  925,  962,  999, 1036, 1073, 1110, 1147, 1184, 1221, 1258, 1295,\n        1332, 1369, 1406, 1443])")]
    [InlineData("wrap_2d", "tensor([[ 0.0000,  0.3333,  0.6667,  1.0000,  1.3333,  1.6667,  2.0000,  2.3333,\n          2.6667,  3.0000,  3.3333,  3.6667,  4.0000,  4.3333,  4.6667,  5.0000,\n          5.3333,  5.6667,  6.0000,  6.3333,  6.6667,  7.0000,  7.3333,  7.6667,\n          8.0000,  8.3333,  8.6667,  9.0000,  9.3333,  9.6667],\n        [10.0000, 10.3333, 10.6667, 11.0000, 11.3333, 11.6667, 12.0000, 12.3333,\n         12.6667, 13.0000, 13.3333, 13.6667, 14.0000, 14.3333, 14.6667, 15.0000,\n         15.3333, 15.6667, 16.0000, 16.3333, 16.6667, 17.0000, 17.3333, 17.6667,\n         18.0000, 18.3333, 18.6667, 19.0000, 19.3333, 19.6667]])")]
    [InlineData("summ_1d", "tensor([   0,    1,    2,  ...,  998,  999, 1000])")]
    [InlineData("summ_1d_float", "tensor([0.0000e+00, 6.2500e-02, 1.2500e-01,  ..., 1.2481e+02, 1.2488e+02,\n        1.2494e+02])")]
    [InlineData("summ_2d", "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01],\n        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],\n        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02],\n        ...,\n        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03],\n        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03],\n        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])")]
    [InlineData("summ_3d", "tensor([[[   0,    1,    2,  ...,    9,   10,   11],\n         [  12,   13,   14,  ...,   21,   22,   23],\n         [  24,   25,   26,  ...,   33,   34,   35],\n         ...,\n         [  84,   85,   86,  ...,   93,   94,   95],\n         [  96,   97,   98,  ...,  105,  106,  107],\n         [ 108,  109,  110,  ...,  117,  118,  119]],\n\n        [[ 120,  121,  122,  ...,  129,  130,  131],\n         [ 132,  133,  134,  ...,  141,  142,  143],\n         [ 144,  145,  146,  ...,  153,  154,  155],\n         ...,\n         [ 204,  205,  206,  ...,  213,  214,  215],\n         [ 216,  217,  218,  ...,  225,  226,  227],\n         [ 228,  229,  230,  ...,  237,  238,  239]],\n\n        [[ 240,  241,  242,  ...,  249,  250,  251],\n         [ 252,  253,  254,  ...,  261,  262,  263],\n         [ 264,  265,  266,  ...,  273,  274,  275],\n         ...,\n         [ 324,  325,  326,  ...,  333,  334,  335],\n         [ 336,  337,  338,  ...,  345,  346,  347],\n         [ 348,  349,  350,  ...,  357,  358,  359]],\n\n        ...,\n\n        [[ 840,  841,  842,  ...,  849,  850,  851],\n         [ 852,  853,  854,  ...,  861,  862,  863],\n         [ 864,  865,  866,  ...,  873,  874,  875],\n         ...,\n         [ 924,  925,  926,  ...,  933,  934,  935],\n         [ 936,  937,  938,  ...,  945,  946,  947],\n         [ 948,  949,  950,  ...,  957,  958,  959]],\n\n        [[ 960,  961,  962,  ...,  969,  970,  971],\n         [ 972,  973,  974,  ...,  981,  982,  983],\n         [ 984,  985,  986,  ...,  993,  994,  995],\n         ...,\n         [1044, 1045, 1046,  ..., 1053, 1054, 1055],\n         [1056, 1057, 1058,  ..., 1065, 1066, 1067],\n         [1068, 1069, 1070,  ..., 1077, 1078, 1079]],\n\n        [[1080, 1081, 1082,  ..., 1089, 1090, 1091],\n         [1092, 1093, 1094,  ..., 1101, 1102, 1103],\n         [1104, 1105, 1106,  ..., 1113, 1114, 1115],\n         ...,\n         [1164, 1165, 1166,  ..., 1173, 1174, 1175],\n         [1176, 1177, 1178,  ..., 1185, 1186, 1187],\n         [1188, 1189, 1190,  ..., 1197, 1198, 1199]]])")]
    [InlineData("summ_narrow_dim", "tensor([[   0,    1,    2,    3],\n        [   4,    5,    6,    7],\n        [   8,    9,   10,   11],\n        ...,\n        [ 992,  993,  994,  995],\n        [ 996,  997,  998,  999],\n        [1000, 1001, 1002, 1003]])")]
    [InlineData("suffix_wrap", "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 1.2500, 1.5000, 1.7500, 2.0000,\n        2.2500, 2.5000, 2.7500, 3.0000, 3.2500, 3.5000, 3.7500, 4.0000, 4.2500,\n        4.5000, 4.7500], dtype=torch.float64, requires_grad=True)")]
    [InlineData("rounding_ties", "tensor([0.0312, 1.0312, 2.5000], dtype=torch.float64)")]
    [InlineData("sci_rounding_ties", "tensor([1.0312e-05, 1.0000e+10, 5.0000e-01], dtype=torch.float64)")]
    [InlineData("float32_inexact", "tensor([ 1.0000e-01,  1.2346e+02, -7.0001e+00])")]
    [InlineData("sci_neg_exp3", "tensor([1.0000e-120, 3.0000e+150], dtype=torch.float64)")]
    [InlineData("suffix_newline", "tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667],\n       dtype=torch.float64, requires_grad=True)")]
    [InlineData("suffix_newline_int", "tensor([    0,  1001,  2002,  3003,  4004,  5005,  6006,  7007,  8008,  9009,\n        10010, 11011, 12012, 13013, 14014, 15015, 16016, 17017, 18018, 19019,\n        20020, 21021, 22022, 23023], dtype=torch.int32)")]
    [InlineData("sci_ties_even", "tensor([1.0000e+09, 5.0000e-01], dtype=torch.float64)")]
    [InlineData("int_mode_neg", "tensor([[ -1., 100.],\n        [  7.,   0.]])")]
    [InlineData("bool_summ", "tensor([ True, False, False,  ...,  True, False, False])")]
    [InlineData("float64_extremes", "tensor([4.9407e-324, 1.7977e+308, -2.5000e+00], dtype=torch.float64)")]
    [InlineData("ties_to_even_up", "tensor([0.0938, 1.0000], dtype=torch.float64)")]
    [InlineData("transposed", "tensor([[0.0000, 1.5000],\n        [0.5000, 2.0000],\n        [1.0000, 2.5000]])")]
    public void ToString_matches_PyTorchs_repr(string name, string expected)
    {
        using var t = Builders[name]();
        Assert.Equal(expected, t.ToString());
    }

    [Fact]
    public void Every_builder_has_a_case()
    {
        var cases = typeof(TensorFormatterTests).GetMethod(nameof(ToString_matches_PyTorchs_repr))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]);
        Assert.Equal(Builders.Keys.Order(), cases.Order());
    }

    [Fact]
    public void Non_leaf_tensor_omits_the_grad_fn_PyTorch_would_print()
    {
        // PyTorch 1.13.1 prints "tensor([2., 4.], grad_fn=<MulBackward0>)"; the binding cannot name the
        // grad_fn, so this one suffix is left out (the documented difference).
        using var a = tensor(new[] { 1f, 2f }, requires_grad: true);
        using var b = a * 2;
        Assert.Equal("tensor([2., 4.])", b.ToString());
    }

    [Fact]
    public void Disposed_tensor_says_so()
    {
        var t = tensor(new[] { 1f, 2f });
        t.Dispose();
        Assert.Equal("tensor(<disposed>)", t.ToString());
    }

    [Fact]
    public void Printing_inside_a_dispose_scope_leaves_nothing_in_it()
    {
        using var t = tensor(Floats(2000, i => i), new long[] { 40, 50 });
        using var scope = NewDisposeScope();
        _ = t.ToString();
        Assert.Equal(0, scope.Count);
    }
}
