// Gradients against central finite differences, in float64: for a fixed random cotangent v, the
// numeric derivative of vᵀ·f(x) with respect to every element of every input that requires grad,
// (vᵀf(x + eps·eᵢ) − vᵀf(x − eps·eᵢ)) / 2eps, must match autograd's vᵀJ.
using System.Text;

namespace Transformer.Torch.Tests;

internal static class GradCheck
{
    public const double Eps = 1e-6;
    public const double Rtol = 1e-5;
    public const double Atol = 1e-7;

    /// <summary>A float64 leaf that requires grad, filled from a seeded .NET generator with values in [low, high).</summary>
    public static Tensor Input(int seed, long[] shape, double low = -1, double high = 1)
    {
        var rng = new Random(seed);
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (var i = 0; i < n; i++) data[i] = low + (high - low) * rng.NextDouble();
        return tensor(data, shape, requires_grad: true);
    }

    /// <summary>Like <see cref="Input"/>, with every value at least <paramref name="gap"/> away from zero
    /// (for kinks at zero such as relu's).</summary>
    public static Tensor AwayFromZero(int seed, long[] shape, double gap = 0.1)
    {
        var rng = new Random(seed);
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (var i = 0; i < n; i++)
        {
            var magnitude = gap + (1 - gap) * rng.NextDouble();
            data[i] = i % 2 == 0 ? magnitude : -magnitude;
        }
        return tensor(data, shape, requires_grad: true);
    }

    /// <summary>Checks the gradient of <paramref name="f"/> with respect to each input that requires grad.
    /// Inputs that do not require grad (integer indices, masks, constants) are passed through unchanged.</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        using var scope = torch.NewDisposeScope();
        var checkedInputs = inputs.Select(x => x.requires_grad).ToArray();
        Assert.Contains(true, checkedInputs);
        foreach (var (x, i) in inputs.Select((x, i) => (x, i)))
            if (checkedInputs[i])
                Assert.True(x.dtype == ScalarType.Float64, $"input {i} is {x.dtype}; gradcheck needs float64");

        // Autograd: fresh leaves, so that gradients already on the caller's tensors do not count.
        var leaves = inputs.Select((x, i) => checkedInputs[i] ? x.detach().clone().requires_grad_() : x).ToArray();
        var output = f(leaves);
        Assert.True(output.dtype == ScalarType.Float64, $"output is {output.dtype}; gradcheck needs float64");
        var v = Cotangent(output.shape);
        output.backward(v);

        var numericInputs = inputs.Select(x => x.detach()).ToArray();
        var failures = new StringBuilder();
        var failureCount = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (!checkedInputs[i]) continue;
            var grad = leaves[i].grad;
            var analytic = grad is null ? new double[inputs[i].numel()] : grad.contiguous().data<double>();
            var numeric = Numeric(f, numericInputs, i, v);
            for (var j = 0; j < numeric.Length; j++)
            {
                if (Math.Abs(analytic[j] - numeric[j]) <= Atol + Rtol * Math.Abs(numeric[j])) continue;
                if (failureCount++ < 8)
                    failures.AppendLine($"input {i} element {j}: autograd {analytic[j]:R}, finite differences {numeric[j]:R}");
            }
        }
        if (failureCount > 0)
            Assert.Fail($"{failureCount} gradient element(s) differ:\n{failures}");
    }

    // d(vᵀf)/dx for every element of input `which`, by central differences.
    private static double[] Numeric(Func<Tensor[], Tensor> f, Tensor[] inputs, int which, Tensor v)
    {
        var shape = inputs[which].shape;
        var values = inputs[which].contiguous().data<double>();
        var result = new double[values.Length];
        using var noGrad = torch.no_grad();
        for (var j = 0; j < values.Length; j++)
        {
            var original = values[j];
            values[j] = original + Eps;
            var plus = Evaluate(f, inputs, which, values, shape, v);
            values[j] = original - Eps;
            var minus = Evaluate(f, inputs, which, values, shape, v);
            values[j] = original;
            result[j] = (plus - minus) / (2 * Eps);
        }
        return result;
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] values, long[] shape, Tensor v)
    {
        using var scope = torch.NewDisposeScope();
        var args = (Tensor[])inputs.Clone();
        args[which] = tensor(values, shape);
        return (f(args) * v).sum().item<double>();
    }

    // A fixed, non-trivial cotangent of the output's shape (all entries non-zero, mixed signs).
    private static Tensor Cotangent(long[] shape)
    {
        var rng = new Random(12345);
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (var i = 0; i < n; i++) data[i] = (rng.NextDouble() + 0.5) * (rng.Next(2) == 0 ? -1 : 1);
        return tensor(data, shape);
    }
}
