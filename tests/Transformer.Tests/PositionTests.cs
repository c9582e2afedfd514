// Positional encodings: the paper's sinusoids by hand, and RoPE's relative-position property.
namespace Transformer.Tests;

public class PositionTests
{
    [Fact]
    public void Sinusoidal_encoding_follows_the_papers_formula()
    {
        using var scope = NewDisposeScope();
        using var encoding = new PositionalEncoding(PositionalEncodingKind.Sinusoidal, 6, 10);
        var x = zeros(1, 4, 6);
        var pe = encoding.forward(x, offset: 3).data<float>().ToArray();                 // positions 3…6
        for (var t = 0; t < 4; t++)
            for (var i = 0; i < 3; i++)
            {
                var angle = (t + 3) / Math.Pow(10000, 2.0 * i / 6);
                Assert.Equal(Math.Sin(angle), pe[t * 6 + 2 * i], 6);
                Assert.Equal(Math.Cos(angle), pe[t * 6 + 2 * i + 1], 6);
            }
    }

    [Fact]
    public void Positions_beyond_max_positions_are_refused_with_the_limit_named()
    {
        using var encoding = new PositionalEncoding(PositionalEncodingKind.Sinusoidal, 4, 8);
        using var x = zeros(1, 5, 4);
        var e = Assert.Throws<ArgumentException>(() => encoding.forward(x, offset: 4));
        Assert.Contains("model.max_positions is only 8", e.Message);
    }

    [Fact]
    public void Rotary_scores_depend_only_on_the_offset_between_positions()
    {
        using var scope = NewDisposeScope();
        using var rotary = new RotaryEmbedding(8, 64);
        manual_seed(3);
        var q = randn(1, 1, 1, 8);
        var k = randn(1, 1, 1, 8);
        float Score(long m, long n) => (rotary.Apply(q, m) * rotary.Apply(k, n)).sum().item<float>();
        var reference = Score(5, 2);
        Assert.Equal(reference, Score(13, 10), 4);
        Assert.Equal(reference, Score(40, 37), 4);
        Assert.NotEqual(reference, Score(5, 3), 3);
        // A rotation keeps norms.
        Assert.Equal(q.norm().item<float>(), rotary.Apply(q, 17).norm().item<float>(), 5);
    }
}
