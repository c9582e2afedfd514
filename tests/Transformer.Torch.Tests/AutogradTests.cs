// Autograd mechanics: accumulation, explicit output gradients, retain/create graph, detach, leaves.
namespace Transformer.Torch.Tests;

public class AutogradTests
{
    [Fact]
    public void Backward_of_a_scalar_fills_the_leaves_grad()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, 3.0 }, requires_grad: true);
        Assert.Null(x.grad);
        var y = (x * x).sum();
        Assert.False(y.is_leaf);
        Assert.True(y.requires_grad);
        y.backward();
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, x.grad!.data<double>());
    }

    [Fact]
    public void Gradients_accumulate_until_cleared()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, -1.0 }, requires_grad: true);
        (x * 3).sum().backward();
        (x * x).sum().backward();
        Assert.Equal(new[] { 5.0, 1.0 }, x.grad!.data<double>());
        x.grad = null;
        Assert.Null(x.grad);
        (x * 3).sum().backward();
        Assert.Equal(new[] { 3.0, 3.0 }, x.grad!.data<double>());
        x.grad = zeros(new long[] { 2 }, float64);
        (x * 2).sum().backward();
        Assert.Equal(new[] { 2.0, 2.0 }, x.grad!.data<double>());
    }

    [Fact]
    public void Assigning_a_grad_that_does_not_fit_the_tensor_is_rejected_like_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = ones(new long[] { 2 }, requires_grad: true);
        Assert.Contains("assigned grad has data of a different size", Assert.Throws<TorchException>(() => x.grad = ones(3)).Message);
        Assert.Contains("assigned grad has data of a different type",
            Assert.Throws<TorchException>(() => x.grad = ones(new long[] { 2 }, float64)).Message);
        Assert.Contains("can't assign Variable as its own grad", Assert.Throws<TorchException>(() => x.grad = x).Message);
        Assert.Null(x.grad);
        x.grad = full(new long[] { 2 }, 0.5);
        Assert.Equal(new[] { 0.5f, 0.5f }, x.grad!.data<float>());
    }

    [Fact]
    public void A_leaf_used_twice_receives_both_contributions()
    {
        using var scope = torch.NewDisposeScope();
        var w = tensor(new[] { 2.0 }, requires_grad: true);
        var x = tensor(new[] { 3.0 }, requires_grad: true);
        var y = (w * x) + (w * w);   // dy/dw = x + 2w = 7, dy/dx = w = 2
        y.backward(tensor(new[] { 1.0 }));
        Assert.Equal(7.0, w.grad!.item<double>());
        Assert.Equal(2.0, x.grad!.item<double>());
    }

    [Fact]
    public void Backward_with_an_explicit_gradient_computes_a_vector_jacobian_product()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x * x;
        y.backward(tensor(new[] { 10.0, -1.0 }));
        Assert.Equal(new[] { 20.0, -4.0 }, x.grad!.data<double>());
    }

    [Fact]
    public void Retain_graph_allows_a_second_backward()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 2.0 }, requires_grad: true);
        var y = (x.exp() * x).sum();
        y.backward(retain_graph: true);
        y.backward();
        Assert.Equal(2 * (Math.Exp(2) * 3), x.grad!.item<double>(), 12);
    }

    [Fact]
    public void Create_graph_gives_differentiable_gradients_for_second_derivatives()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        x.pow(3).sum().backward(create_graph: true);
        var first = x.grad!;
        Assert.True(first.requires_grad);
        Assert.Equal(new[] { 3.0, 12.0 }, first.data<double>());   // 3x²
        x.grad = null;
        first.sum().backward();
        Assert.Equal(new[] { 6.0, 12.0 }, x.grad!.data<double>());  // 6x
    }

    [Fact]
    public void Detach_and_no_grad_stop_the_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var y = x * x.detach();            // the detached factor is a constant
        y.sum().backward();
        Assert.Equal(new[] { 1.0, 2.0 }, x.grad!.data<double>());
        Tensor z;
        using (torch.no_grad()) z = x * 2;
        Assert.False(z.requires_grad);
        Assert.True(z.is_leaf);
        var d = x.detach();
        Assert.False(d.requires_grad);
        var e = (x * 1).detach_();
        Assert.False(e.requires_grad);
    }

    [Fact]
    public void Requires_grad_can_be_switched_on_leaves_but_not_on_integer_tensors()
    {
        using var scope = torch.NewDisposeScope();
        var x = ones(2);
        Assert.False(x.requires_grad);
        Assert.Same(x, x.requires_grad_());
        Assert.True(x.requires_grad);
        x.requires_grad = false;
        Assert.False(x.requires_grad);
        var e = Assert.Throws<TorchException>(() => ones(new long[] { 2 }, int64).requires_grad_());
        Assert.Contains("Only Tensors of floating point and complex dtype can require gradients", e.Message);
    }

    [Fact]
    public void Non_leaf_tensors_keep_no_grad()
    {
        using var scope = torch.NewDisposeScope();
        var x = ones(new long[] { 2 }, float64, requires_grad: true);
        var h = x * 2;
        (h * h).sum().backward();
        Assert.Null(h.grad);
        Assert.Equal(new[] { 8.0, 8.0 }, x.grad!.data<double>());
    }

    [Fact]
    public void In_place_updates_of_intermediate_results_are_differentiated()
    {
        using var scope = torch.NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        var h = x * 3;
        h.add_(1).mul_(2);                 // h = 2(3x + 1)
        h.sum().backward();
        Assert.Equal(new[] { 6.0, 6.0 }, x.grad!.data<double>());
    }

    [Fact]
    public void Gradcheck_itself_catches_a_wrong_gradient()
    {
        using var scope = torch.NewDisposeScope();
        // x · detach(x): autograd sees only one factor (gradient x), finite differences see x² (gradient 2x).
        var x = GradCheck.Input(1, new long[] { 3 });
        Assert.ThrowsAny<Exception>(() => GradCheck.Check(a => a[0] * a[0].detach(), x));
        GradCheck.Check(a => a[0] * a[0], x);
    }

    [Fact]
    public void Gradients_flow_through_a_small_two_layer_network()
    {
        using var scope = torch.NewDisposeScope();
        var x = GradCheck.Input(1, new long[] { 4, 3 });
        x.requires_grad = false;
        var target = tensor(new long[] { 0, 2, 1, 1 });
        GradCheck.Check(
            p => nn.functional.cross_entropy(
                nn.functional.linear(nn.functional.gelu(nn.functional.layer_norm(nn.functional.linear(x, p[0], p[1]), new long[] { 5 })), p[2]),
                target, label_smoothing: 0.1),
            GradCheck.Input(2, new long[] { 5, 3 }), GradCheck.Input(3, new long[] { 5 }), GradCheck.Input(4, new long[] { 3, 5 }));
    }
}
