// torch.nn.utils.clip_grad_norm_: the total norm over all gradients (as if concatenated), returned,
// and every gradient scaled by max_norm / (norm + 1e-6) when that is below 1. Values marked
// "PyTorch" were printed by PyTorch 1.13.1's torch.nn.utils.clip_grad_norm_ (/usr/bin/python3).
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class ClipGradTests
{
    private static Parameter WithGrad(params float[] grad)
    {
        var p = new Parameter(zeros(grad.Length));
        p.grad = tensor(grad).DetachFromDisposeScope();
        return p;
    }

    private static float[] Grad(Parameter p)
    {
        using var g = p.grad!;
        return g.data<float>();
    }

    [Fact]
    public void Returns_the_total_two_norm_and_scales_gradients_above_max_norm()
    {
        using var a = WithGrad(3, 4);
        using var b = WithGrad(12);
        var norm = nn.utils.clip_grad_norm_(new[] { a, b }, max_norm: 6.5);
        Assert.Equal(13.0, norm); // √(9 + 16 + 144)
        var coef = 6.5 / (13 + 1e-6);
        Assert.Equal(3 * coef, Grad(a)[0], 1e-6);
        Assert.Equal(4 * coef, Grad(a)[1], 1e-6);
        Assert.Equal(12 * coef, Grad(b)[0], 1e-6);
    }

    [Fact]
    public void Leaves_gradients_below_max_norm_unchanged()
    {
        using var a = WithGrad(3, 4);
        using var b = WithGrad(12);
        Assert.Equal(13.0, nn.utils.clip_grad_norm_(new[] { a, b }, max_norm: 20));
        Assert.Equal(new float[] { 3, 4 }, Grad(a));
        Assert.Equal(new float[] { 12 }, Grad(b));
    }

    [Fact]
    public void Infinity_norm_is_the_largest_absolute_gradient()
    {
        using var a = WithGrad(3, -4);
        using var b = WithGrad(2);
        var norm = nn.utils.clip_grad_norm_(new[] { a, b }, max_norm: 2, norm_type: double.PositiveInfinity);
        Assert.Equal(4.0, norm);
        var coef = 2 / (4 + 1e-6);
        Assert.Equal(-4 * coef, Grad(a)[1], 1e-6);
        Assert.Equal(2 * coef, Grad(b)[0], 1e-6);
    }

    [Fact]
    public void One_norm_sums_absolute_gradients()
    {
        using var a = WithGrad(3, -4);
        using var b = WithGrad(-12);
        Assert.Equal(19.0, nn.utils.clip_grad_norm_(new[] { a, b }, max_norm: 100, norm_type: 1));
    }

    [Fact]
    public void Parameters_without_gradients_are_ignored()
    {
        using var a = WithGrad(3, 4);
        using var none = new Parameter(zeros(3));
        Assert.Equal(5.0, nn.utils.clip_grad_norm_(new[] { a, none }, max_norm: 1), 1e-6);
        Assert.Null(none.grad);
        Assert.Equal(0.0, nn.utils.clip_grad_norm_(new[] { none }, max_norm: 1));
        Assert.Equal(0.0, nn.utils.clip_grad_norm_(Array.Empty<Parameter>(), max_norm: 1));
    }

    [Theory]
    // PyTorch: seed 0; a.grad = randn(3, 4); b.grad = randn(5); c.grad = zeros(2); clip_grad_norm_([a, b, c], 1.0, norm_type)
    [InlineData(2.0, 4.003223896026611, new[] { 0.38493868708610535f, -0.0732981339097023f, -0.5442585349082947f, 0.14199334383010864f, -0.27091217041015625f, -0.3493672013282776f, 0.1007554829120636f, 0.20933781564235687f, -0.1796695441007614f, -0.10075465589761734f, -0.1490386724472046f, 0.045472461730241776f, -0.21399612724781036f, 0.274929404258728f, -0.26758110523223877f, 0.030650600790977478f, -0.14146532118320465f })]
    [InlineData(3.0, 2.840045928955078, new[] { 0.5425953269004822f, -0.10331833362579346f, -0.7671667337417603f, 0.2001485526561737f, -0.38186776638031006f, -0.49245506525039673f, 0.14202119410037994f, 0.29507482051849365f, -0.25325554609298706f, -0.14202003180980682f, -0.2100794017314911f, 0.06409630179405212f, -0.3016410171985626f, 0.38753029704093933f, -0.37717244029045105f, 0.04320394992828369f, -0.1994042843580246f })]
    // Python's "0-norm" counts the gradients that are not all zero (2 here); libtorch's C++ helper counted all of them (3).
    [InlineData(0.0, 2.0, new[] { 0.7704976797103882f, -0.14671437442302704f, -1.089394211769104f, 0.2842154800891876f, -0.5422609448432922f, -0.6992973685264587f, 0.20167332887649536f, 0.41901296377182007f, -0.3596286177635193f, -0.20167167484760284f, -0.2983175218105316f, 0.0910181999206543f, -0.42833709716796875f, 0.5503018498420715f, -0.5355934500694275f, 0.061350591480731964f, -0.2831586003303528f })]
    [InlineData(double.PositiveInfinity, 2.1787893772125244, new[] { 0.7072713971138f, -0.13467514514923096f, -0.9999995827674866f, 0.2608930468559265f, -0.4977635443210602f, -0.6419137716293335f, 0.1851242035627365f, 0.38462918996810913f, -0.3301178514957428f, -0.18512269854545593f, -0.2738378942012787f, 0.08354933559894562f, -0.3931881785392761f, 0.5051445960998535f, -0.49164316058158875f, 0.05631622299551964f, -0.25992289185523987f })]
    public void Matches_PyTorch_for_every_norm_type(double normType, double expectedNorm, float[] expectedGrads)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var a = new Parameter(zeros(3, 4));
        var b = new Parameter(zeros(5));
        var c = new Parameter(zeros(2));
        a.grad = randn(3, 4);
        b.grad = randn(5);
        c.grad = zeros(2);
        var norm = nn.utils.clip_grad_norm_(new[] { a, b, c }, 1.0, normType);
        // Same operations in the same order as PyTorch's Python code: bit-identical results.
        Assert.Equal(expectedNorm, norm);
        Assert.Equal(expectedGrads, Grad(a).Concat(Grad(b)));
        Assert.Equal(new float[] { 0, 0 }, Grad(c));
        foreach (var p in new[] { a, b, c }) p.Dispose();
    }

    [Fact]
    public void Clipping_a_models_gradients_bounds_their_norm()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var model = nn.Linear(8, 4);
        (model.call(randn(16, 8)) * 100).sum().backward();
        var before = nn.utils.clip_grad_norm_(model.parameters(), max_norm: 1.0);
        Assert.True(before > 1);
        var after = nn.utils.clip_grad_norm_(model.parameters(), max_norm: 1.0);
        Assert.Equal(1.0, after, 1e-5);
    }
}
