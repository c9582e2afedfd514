// torch.nn.init: PyTorch's formulas and random-number consumption, so the same seed gives the same
// values. Float literals marked "PyTorch" were printed by PyTorch 1.13.1 (/usr/bin/python3).
namespace Transformer.Torch.Tests;

public class InitTests
{
    private static float[] Init(Action<Tensor> init, params long[] shape)
    {
        using var t = empty(shape);
        manual_seed(42);
        init(t);
        return t.data<float>();
    }

    [Fact]
    public void Xavier_uniform_matches_PyTorch_and_stays_within_its_bound()
    {
        // PyTorch: torch.manual_seed(42); torch.nn.init.xavier_uniform_(torch.empty(3, 5))
        var expected = new[]
        {
            0.6621097922325134f, 0.7188079357147217f, -0.20288591086864471f, 0.7955406904220581f, -0.18974925577640533f, 0.17475585639476776f,
            -0.42162880301475525f, 0.5086016654968262f, 0.7634385228157043f, -0.6353406310081482f, 0.7527459859848022f, 0.162084698677063f,
            0.6398272514343262f, 0.117286317050457f, 0.41758713126182556f,
        };
        var actual = Init(t => nn.init.xavier_uniform_(t), 3, 5);
        Assert.Equal(expected, actual);
        var bound = Math.Sqrt(6.0 / (5 + 3));
        Assert.All(actual, v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void Xavier_uniform_with_a_gain_on_a_3d_tensor_matches_PyTorch()
    {
        // PyTorch: xavier_uniform_(torch.empty(2, 3, 2), gain=calculate_gain('tanh')) after seed 42
        var expected = new[]
        {
            0.9870149493217468f, 1.071535587310791f, -0.3024444580078125f, 1.1859220266342163f, -0.28286150097846985f, 0.26051065325737f,
            -0.6285271048545837f, 0.7581786513328552f, 1.1380670070648193f, -0.9471098184585571f, 1.1221274137496948f, 0.24162161350250244f,
        };
        Assert.Equal(expected, Init(t => nn.init.xavier_uniform_(t, nn.init.calculate_gain("tanh")), 2, 3, 2));
    }

    [Fact]
    public void Kaiming_uniform_matches_PyTorch_and_stays_within_its_bound()
    {
        // PyTorch: torch.manual_seed(42); torch.nn.init.kaiming_uniform_(torch.empty(3, 5))
        var expected = new[]
        {
            0.8375100493431091f, 0.9092281460762024f, -0.25663265585899353f, 1.0062882900238037f, -0.24001595377922058f, 0.22105063498020172f,
            -0.5333229899406433f, 0.6433359384536743f, 0.9656819105148315f, -0.8036494255065918f, 0.9521567225456238f, 0.20502275228500366f,
            0.8093246221542358f, 0.14835676550865173f, 0.5282106399536133f,
        };
        var actual = Init(t => nn.init.kaiming_uniform_(t), 3, 5);
        Assert.Equal(expected, actual);
        var bound = Math.Sqrt(2.0) * Math.Sqrt(3.0 / 5); // gain · √(3 / fan_in)
        Assert.All(actual, v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void Kaiming_uniform_in_fan_out_mode_for_relu_matches_PyTorch()
    {
        // PyTorch: kaiming_uniform_(torch.empty(3, 5), mode='fan_out', nonlinearity='relu') after seed 42
        var expected = new[]
        {
            1.0812207460403442f, 1.1738084554672241f, -0.33131131529808044f, 1.2991125583648682f, -0.3098592460155487f, 0.28537511825561523f,
            -0.6885169744491577f, 0.8305431008338928f, 1.2466899156570435f, -1.0375068187713623f, 1.2292289733886719f, 0.26468321681022644f,
            1.0448335409164429f, 0.19152775406837463f, 0.6819169521331787f,
        };
        var actual = Init(t => nn.init.kaiming_uniform_(t, mode: nn.FanMode.FanOut, nonlinearity: "relu"), 3, 5);
        Assert.Equal(expected, actual);
        Assert.All(actual, v => Assert.InRange(v, -Math.Sqrt(2.0), Math.Sqrt(2.0))); // √2 · √(3 / 3)
    }

    [Fact]
    public void Xavier_normal_matches_PyTorch()
    {
        // PyTorch: xavier_normal_(torch.empty(3, 5), gain=0.5) after seed 42
        var expected = new[]
        {
            0.08417259156703949f, 0.032202351838350296f, 0.05861559137701988f, 0.05758325755596161f, -0.28071409463882446f, -0.04658207297325134f,
            0.5520503520965576f, -0.15949925780296326f, 0.11541430652141571f, 0.06683772057294846f, 0.13372616469860077f, 0.202339306473732f,
            0.2775725722312927f, -0.4224497377872467f, -0.24723997712135315f,
        };
        Assert.Equal(expected, Init(t => nn.init.xavier_normal_(t, 0.5), 3, 5));
    }

    [Fact]
    public void Kaiming_normal_matches_PyTorch()
    {
        // PyTorch: kaiming_normal_(torch.empty(3, 5), a=0.1, mode='fan_out') after seed 42
        var expected = new[]
        {
            0.27354222536087036f, 0.10465048998594284f, 0.19048765301704407f, 0.1871327906847f, -0.9122584462165833f, -0.15138138830661774f,
            1.7940409183502197f, -0.5183371901512146f, 0.37507084012031555f, 0.21720772981643677f, 0.43458035588264465f, 0.6575577855110168f,
            0.9020492434501648f, -1.3728677034378052f, -0.8034749627113342f,
        };
        Assert.Equal(expected, Init(t => nn.init.kaiming_normal_(t, a: 0.1, mode: nn.FanMode.FanOut), 3, 5));
    }

    [Fact]
    public void Calculate_gain_matches_PyTorch()
    {
        Assert.Equal(1.0, nn.init.calculate_gain("linear"));
        Assert.Equal(1.0, nn.init.calculate_gain("sigmoid"));
        Assert.Equal(1.6666666666666667, nn.init.calculate_gain("tanh"));
        Assert.Equal(1.4142135623730951, nn.init.calculate_gain("relu"));
        Assert.Equal(1.4141428569978354, nn.init.calculate_gain("leaky_relu"));
        Assert.Equal(1.3867504905630728, nn.init.calculate_gain("leaky_relu", 0.2));
        Assert.Equal(0.75, nn.init.calculate_gain("selu"));
        Assert.Throws<ArgumentException>(() => nn.init.calculate_gain("softplus"));
    }

    [Fact]
    public void Fans_count_the_receptive_field_as_PyTorch()
    {
        using var conv = empty(8, 4, 3, 3);
        Assert.Equal((36L, 72L), nn.init.calculate_fan_in_and_fan_out(conv)); // PyTorch: (36, 72)
        using var vector = empty(5);
        Assert.Throws<ArgumentException>(() => nn.init.calculate_fan_in_and_fan_out(vector));
    }

    [Fact]
    public void Initialising_a_parameter_records_no_gradient_history()
    {
        using var p = new Modules.Parameter(empty(3, 4));
        nn.init.kaiming_uniform_(p, a: Math.Sqrt(5));
        nn.init.normal_(p, 0, 0.02);
        nn.init.constant_(p, 0.5);
        Assert.True(p.is_leaf);
        Assert.True(p.requires_grad);
        Assert.All(p.data<float>(), v => Assert.Equal(0.5f, v));
        nn.init.zeros_(p);
        Assert.All(p.data<float>(), v => Assert.Equal(0f, v));
        nn.init.ones_(p);
        Assert.All(p.data<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Initialising_a_zero_element_tensor_does_nothing()
    {
        using var t = empty(4, 0); // fan_in 0: PyTorch warns and returns
        nn.init.kaiming_uniform_(t);
        nn.init.xavier_uniform_(t);
        nn.init.kaiming_normal_(t);
        Assert.Equal(0, t.numel());
    }
}
