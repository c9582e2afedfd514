// Feed-forward network, residual placement and embeddings against hand-computed values.
namespace Transformer.Tests;

public class LayerTests
{
    private static void Set(Tensor target, float[] values)
    {
        using var _ = no_grad();
        using var source = tensor(values, target.shape);
        target.copy_(source);
    }

    [Theory]
    [InlineData(FeedForwardActivation.Relu)]
    [InlineData(FeedForwardActivation.SwiGlu)]
    public void Feed_forward_matches_the_hand_computed_network(FeedForwardActivation activation)
    {
        using var scope = NewDisposeScope();
        using var ff = new FeedForward(2, 2, activation, dropout: 0);
        Set(ff.linear1.weight, new float[] { 1, 0, 0, -1 });       // h = (x0 + 1, −x1 − 1)
        Set(ff.linear1.bias!, new float[] { 1, -1 });
        Set(ff.linear2.weight, new float[] { 1, 1, 0, 2 });        // y = (h0 + h1, 2 h1) + (0.5, 0)
        Set(ff.linear2.bias!, new float[] { 0.5f, 0 });
        if (ff.linear3 is { } up)
        {
            Set(up.weight, new float[] { 2, 0, 0, 2 });            // u = 2x
            Set(up.bias!, new float[] { 0, 0 });
        }
        var x = tensor(new float[] { 2, -3 }, new long[] { 1, 2 });
        var y = ff.forward(x).data<float>().ToArray();
        double h0 = 3, h1 = 2;                                     // before activation
        double a0, a1;
        if (activation == FeedForwardActivation.Relu) (a0, a1) = (h0, h1);
        else (a0, a1) = (h0 / (1 + Math.Exp(-h0)) * 4, h1 / (1 + Math.Exp(-h1)) * -6);
        Assert.Equal(a0 + a1 + 0.5, y[0], 4);   // float32
        Assert.Equal(2 * a1, y[1], 4);
    }

    [Fact]
    public void Post_and_pre_layer_norm_place_the_norm_as_the_paper_and_pre_ln_do()
    {
        using var scope = NewDisposeScope();
        using var norm = nn.LayerNorm(2);
        var x = tensor(new float[] { 1, 3 }, new long[] { 1, 2 });
        Tensor Double(Tensor h) => h * 2;
        // post-LN: norm(x + 2x) = norm([3, 9]) = [−1, 1];  pre-LN: x + 2·norm(x) = [1 − 2, 3 + 2]
        var post = Residual.Apply(x, norm, normFirst: false, 0, false, Double).data<float>().ToArray();
        var pre = Residual.Apply(x, norm, normFirst: true, 0, false, Double).data<float>().ToArray();
        Assert.Equal(-1, post[0], 4);
        Assert.Equal(1, post[1], 4);
        Assert.Equal(-1, pre[0], 4);
        Assert.Equal(5, pre[1], 4);
    }

    [Fact]
    public void Token_embedding_scales_by_sqrt_d_model_and_keeps_padding_at_zero()
    {
        using var scope = NewDisposeScope();
        using var embed = new TokenEmbedding(5, 4, padIndex: 0, scaleBySqrtDModel: true);
        var tokens = tensor(new long[] { 0, 3 }, new long[] { 1, 2 });
        var y = embed.forward(tokens);
        Assert.All(y[0, 0].data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.True(y[0, 1].allclose(embed.weight[3] * 2.0, rtol: 1e-6, atol: 0));
        y.sum().backward();
        Assert.All(embed.weight.grad![0].data<float>().ToArray(), g => Assert.Equal(0f, g));
    }
}
