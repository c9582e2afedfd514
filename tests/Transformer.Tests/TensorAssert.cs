// Value assertions shared by the tensor tests.
using Transformer.Engine;

namespace Transformer.Tests;

internal static class TensorAssert
{
    /// <summary>Every element within a relative (absolute below 1) tolerance of the expected values.</summary>
    public static void Close(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        using var d = actual.to(ScalarType.Float64);
        var values = d.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {values[i]:R}");
    }
}
