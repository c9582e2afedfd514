// Gradients of element-wise math and matrix products against central finite differences (GradCheck).
namespace Transformer.Torch.Tests;

public class AutogradMathTests
{
    private static Tensor In(int seed, params long[] shape) => GradCheck.Input(seed, shape);
    private static Tensor Positive(int seed, params long[] shape) => GradCheck.Input(seed, shape, 0.5, 2.0);

    [Fact]
    public void Add_with_broadcasting_and_alpha_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0] + x[1], In(1, 2, 3), In(2, 3));
        GradCheck.Check(x => x[0].add(x[1], 2.5), In(3, 2, 1), In(4, 1, 4));
        GradCheck.Check(x => x[0] + 3.0, In(5, 4));
        GradCheck.Check(x => 3.0 + x[0], In(6, 4));
    }

    [Fact]
    public void Sub_with_broadcasting_and_alpha_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0] - x[1], In(1, 2, 3), In(2, 2, 1));
        GradCheck.Check(x => x[0].sub(x[1], 0.5), In(3, 3), In(4, 3));
        GradCheck.Check(x => 2.0 - x[0], In(5, 4));
        GradCheck.Check(x => x[0] - 2.0, In(6, 4));
    }

    [Fact]
    public void Mul_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0] * x[1], In(1, 2, 3), In(2, 3));
        GradCheck.Check(x => x[0] * x[0], In(3, 5));
        GradCheck.Check(x => x[0] * -1.5, In(4, 4));
        GradCheck.Check(x => x[0].square(), In(5, 4));
    }

    [Fact]
    public void Div_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0] / x[1], In(1, 2, 3), Positive(2, 2, 3));
        GradCheck.Check(x => x[0] / 4.0, In(3, 4));
        GradCheck.Check(x => 2.0 / x[0], Positive(4, 4));
        GradCheck.Check(x => x[0].reciprocal(), Positive(5, 4));
    }

    [Fact]
    public void Pow_has_correct_gradients_for_scalar_and_tensor_exponents()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0].pow(3), In(1, 2, 3));
        GradCheck.Check(x => x[0].pow(2.5), Positive(2, 5));
        GradCheck.Check(x => x[0].pow(-0.5), Positive(3, 5));
        GradCheck.Check(x => x[0].pow(x[1]), Positive(4, 2, 3), In(5, 2, 3));
        GradCheck.Check(x => torch.pow(1.5, x[0]), In(6, 2, 3));
    }

    [Fact]
    public void Neg_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => -x[0], In(1, 2, 3));
        GradCheck.Check(x => x[0].neg(), In(2, 4));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sqrt")]
    [InlineData("rsqrt")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("silu")]
    [InlineData("gelu")]
    [InlineData("gelu_tanh")]
    [InlineData("abs")]
    [InlineData("sin")]
    [InlineData("cos")]
    public void Unary_functions_have_correct_gradients(string name)
    {
        using var scope = torch.NewDisposeScope();
        Func<Tensor, Tensor> op = name switch
        {
            "exp" => x => x.exp(),
            "log" => x => x.log(),
            "sqrt" => x => x.sqrt(),
            "rsqrt" => x => x.rsqrt(),
            "tanh" => x => x.tanh(),
            "sigmoid" => x => x.sigmoid(),
            "silu" => x => nn.functional.silu(x),
            "gelu" => x => nn.functional.gelu(x),
            "gelu_tanh" => x => nn.functional.gelu(x, tanhApproximation: true),
            "abs" => x => x.abs(),
            "sin" => x => x.sin(),
            "cos" => x => x.cos(),
            _ => throw new ArgumentException(name),
        };
        var positiveOnly = name is "log" or "sqrt" or "rsqrt";
        var input = positiveOnly ? Positive(7, 3, 4)
            : name == "abs" ? GradCheck.AwayFromZero(7, new long[] { 3, 4 })
            : GradCheck.Input(7, new long[] { 3, 4 }, -3, 3);
        GradCheck.Check(x => op(x[0]), input);
    }

    [Fact]
    public void Relu_away_from_zero_has_gradient_one_for_positive_and_zero_for_negative_inputs()
    {
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.AwayFromZero(1, new long[] { 3, 4 });
        GradCheck.Check(a => nn.functional.relu(a[0]), x);
        var leaf = x.detach().clone().requires_grad_();
        leaf.relu().sum().backward();
        var expected = x.detach().data<double>().Select(v => v > 0 ? 1.0 : 0.0).ToArray();
        Assert.Equal(expected, leaf.grad!.data<double>());
    }

    [Fact]
    public void Clamp_has_gradient_one_inside_and_zero_outside_the_bounds()
    {
        using var scope = torch.NewDisposeScope();
        // Values stay at least 0.05 away from the bounds ±0.5, where clamp has kinks.
        var x = tensor(new double[] { -0.9, -0.45, -0.2, 0.1, 0.3, 0.45, 0.55, 0.95 }, new long[] { 2, 4 }, requires_grad: true);
        GradCheck.Check(a => a[0].clamp(-0.5, 0.5), x);
        GradCheck.Check(a => a[0].clamp_min(0.0), x);
        GradCheck.Check(a => a[0].clamp_max(0.2), x);
        var leaf = x.detach().clone().requires_grad_();
        leaf.clamp(-0.5, 0.5).sum().backward();
        Assert.Equal(new double[] { 0, 1, 1, 1, 1, 1, 0, 0 }, leaf.grad!.data<double>());
    }

    [Fact]
    public void Maximum_and_minimum_route_the_gradient_to_the_larger_or_smaller_input()
    {
        using var scope = torch.NewDisposeScope();
        var a = In(1, 2, 4);
        var b = In(2, 2, 4); // distinct from a almost surely, so no ties
        GradCheck.Check(x => x[0].maximum(x[1]), a, b);
        GradCheck.Check(x => x[0].minimum(x[1]), a, b);
        GradCheck.Check(x => x[0].maximum(x[1]), In(3, 2, 3), In(4, 3));
    }

    [Fact]
    public void Linear_has_correct_gradients_for_input_weight_and_bias()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => nn.functional.linear(x[0], x[1], x[2]), In(1, 3, 4), In(2, 5, 4), In(3, 5));
        GradCheck.Check(x => nn.functional.linear(x[0], x[1]), In(4, 2, 3, 4), In(5, 2, 4));
        GradCheck.Check(x => nn.functional.linear(x[0], x[1], x[2]), In(6, 2, 2, 3), In(7, 4, 3), In(8, 4));
    }

    [Fact]
    public void Matmul_has_correct_gradients_for_matrices_vectors_and_broadcast_batches()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0].matmul(x[1]), In(1, 2, 3), In(2, 3, 4));
        GradCheck.Check(x => x[0].matmul(x[1]), In(3, 3), In(4, 3));          // dot product → 0-d
        GradCheck.Check(x => x[0].matmul(x[1]), In(5, 2, 3), In(6, 3));       // matrix × vector
        GradCheck.Check(x => x[0].matmul(x[1]), In(7, 2, 2, 3), In(8, 3, 2)); // batch × matrix
        GradCheck.Check(x => x[0].matmul(x[1]), In(9, 2, 1, 2, 3), In(10, 3, 3, 2)); // broadcast batches
        GradCheck.Check(x => x[0].mm(x[1]), In(11, 2, 3), In(12, 3, 2));
    }

    [Fact]
    public void Bmm_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0].bmm(x[1]), In(1, 2, 3, 4), In(2, 2, 4, 2));
    }

    [Fact]
    public void Baddbmm_has_correct_gradients_for_all_three_inputs_with_beta_and_alpha()
    {
        using var scope = torch.NewDisposeScope();
        GradCheck.Check(x => x[0].baddbmm(x[1], x[2]), In(1, 2, 3, 2), In(2, 2, 3, 4), In(3, 2, 4, 2));
        GradCheck.Check(x => x[0].baddbmm(x[1], x[2], beta: 0.5, alpha: -2.0), In(4, 2, 3, 2), In(5, 2, 3, 4), In(6, 2, 4, 2));
        GradCheck.Check(x => x[0].baddbmm(x[1], x[2], beta: 1.5, alpha: 0.25), In(7, 1, 3), In(8, 2, 1, 4), In(9, 2, 4, 3));
    }

    [Fact]
    public void A_chain_of_operations_has_correct_gradients()
    {
        using var scope = torch.NewDisposeScope();
        // softmax(x Wᵀ + b) ⊙ tanh(x) summed along the last axis, as attention-like code composes them.
        GradCheck.Check(
            x => (nn.functional.softmax(nn.functional.linear(x[0], x[1], x[2]), -1) * x[0].tanh()).sum(-1),
            In(1, 2, 3), In(2, 3, 3), In(3, 3));
    }
}
