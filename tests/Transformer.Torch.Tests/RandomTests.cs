// The CPU generator: manual_seed reproduces PyTorch 1.13's numbers for the same seed (pasted from
// PyTorch: float32 values printed as the exact doubles they widen to), and get/set_rng_state replays.
namespace Transformer.Torch.Tests;

public class RandomTests
{
    private static double[] Widen(float[] values) => values.Select(v => (double)v).ToArray();

    [Fact]
    public void Rand_randn_and_randint_reproduce_pytorch_for_seed_42()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);
        // torch.manual_seed(42); torch.rand(5); torch.randn(5); torch.randint(0, 10, (6,))
        Assert.Equal(new[] { 0.8822692632675171, 0.9150039553642273, 0.38286375999450684, 0.9593056440353394, 0.3904482126235962 },
            Widen(rand(5).data<float>()));
        Assert.Equal(new[] { 0.3257518708705902, -0.8676281571388245, 1.5231338739395142, 0.6646648645401001, -1.0324476957321167 },
            Widen(randn(5).data<float>()));
        Assert.Equal(new long[] { 5, 7, 6, 9, 6, 3 }, randint(0, 10, new long[] { 6 }).data<long>());
    }

    [Fact]
    public void Float64_draws_reproduce_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        // torch.manual_seed(7); torch.rand(3, dtype=torch.float64); torch.randn(3, dtype=torch.float64)
        Assert.Equal(new[] { 0.279380429906404, 0.27369371365176565, 0.8620929614176255 }, rand(new long[] { 3 }, float64).data<double>());
        Assert.Equal(new[] { -1.251400130741154, -1.884067517741636, 0.4457424104093978 }, randn(new long[] { 3 }, float64).data<double>());
    }

    [Fact]
    public void Vectorised_randn_of_sixteen_or_more_values_reproduces_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(123);
        // torch.manual_seed(123); torch.randn(20)[16:]
        Assert.Equal(new[] { -0.7848533391952515, -1.4095724821090698, -0.4076268672943115, 0.7953261137008667 },
            Widen(randn(20)[16..].data<float>()));
    }

    [Fact]
    public void Randint_with_negative_bounds_and_multinomial_reproduce_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        // torch.manual_seed(0); torch.randint(-5, 5, (2, 3))
        Assert.Equal(new long[] { -1, 4, -2, -5, -2, 4 }, randint(-5, 5, new long[] { 2, 3 }).data<long>());
        torch.manual_seed(0);
        // torch.manual_seed(0); torch.multinomial(torch.tensor([0.1, 0.2, 0.3, 0.4]), 8, True)
        Assert.Equal(new long[] { 3, 3, 2, 3, 3, 3, 1, 2 }, tensor(new[] { 0.1f, 0.2f, 0.3f, 0.4f }).multinomial(8, true).data<long>());
    }

    [Fact]
    public void In_place_sampling_and_dropout_reproduce_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        // torch.empty(4).uniform_(-2, 2); torch.empty(3).normal_(1, 0.5); torch.empty(12).bernoulli_(0.5)
        Assert.Equal(new[] { 1.321007490158081, -1.495556354522705, 1.6298787593841553, 1.2797081470489502 },
            Widen(empty(4).uniform_(-2, 2).data<float>()));
        Assert.Equal(new[] { 0.7209518551826477, 1.3337621688842773, 0.9012924432754517 }, Widen(empty(3).normal_(1, 0.5).data<float>()));
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1 }, empty(12).bernoulli_(0.5).data<float>());
        torch.manual_seed(3);
        // torch.manual_seed(3); F.dropout(torch.ones(10), 0.5)
        Assert.Equal(new float[] { 2, 2, 0, 2, 0, 0, 2, 2, 2, 0 }, nn.functional.dropout(ones(10), 0.5).data<float>());
    }

    [Fact]
    public void A_negative_seed_is_its_twos_complement_as_in_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        // torch.manual_seed(-1) and torch.manual_seed(2**64 - 1) both give torch.rand(2) = [0.99379939, 0.57130635].
        torch.manual_seed(-1);
        Assert.Equal(new[] { 0.9937993884086609, 0.5713063478469849 }, Widen(rand(2).data<float>()));
    }

    [Fact]
    public void Reseeding_restarts_the_sequence()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2024);
        var first = randn(50).data<float>();
        var next = randn(50).data<float>();
        torch.manual_seed(2024);
        Assert.Equal(first, randn(50).data<float>());
        Assert.Equal(next, randn(50).data<float>());
        Assert.NotEqual(first, next);
    }

    [Fact]
    public void The_rng_state_is_a_uint8_tensor_of_pytorchs_length()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);
        var state = torch.get_rng_state();
        Assert.Equal(ScalarType.Byte, state.dtype);
        Assert.Equal(new long[] { 5056 }, state.shape); // len(torch.get_rng_state()) in PyTorch 1.13 on CPU
        // PyTorch: torch.manual_seed(42); torch.rand(2); torch.get_rng_state()[:12] = [42, 0, …, 0, 111, 2, 0, 0]
        torch.manual_seed(42);
        rand(2);
        Assert.Equal(new byte[] { 42, 0, 0, 0, 0, 0, 0, 0, 111, 2, 0, 0 }, torch.get_rng_state()[..12].data<byte>());
    }

    [Fact]
    public void Restoring_the_rng_state_replays_the_same_draws()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        randn(7); // move away from the seed's start
        var state = torch.get_rng_state();
        var saved = state.clone();
        var a = rand(13).data<float>();
        var b = randn(17).data<float>();   // the vectorised path
        var c = randint(0, 1000, new long[] { 5 }).data<long>();
        var d = randn(new long[] { 3 }, float64).data<double>();
        Assert.True(state.equal(saved)); // the snapshot does not change with later draws

        torch.set_rng_state(state);
        Assert.Equal(a, rand(13).data<float>());
        Assert.Equal(b, randn(17).data<float>());
        Assert.Equal(c, randint(0, 1000, new long[] { 5 }).data<long>());
        Assert.Equal(d, randn(new long[] { 3 }, float64).data<double>());

        torch.set_rng_state(state); // and again, from the same state
        Assert.Equal(a, rand(13).data<float>());
    }

    [Fact]
    public void Randn_with_a_restored_state_matches_a_fresh_seed()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(99);
        var atSeed = torch.get_rng_state();
        var expected = randn(5).data<float>();
        rand(100);
        torch.set_rng_state(atSeed);
        Assert.Equal(expected, randn(5).data<float>());
        Assert.Throws<TorchException>(() => torch.set_rng_state(zeros(new long[] { 10 }, uint8)));
    }
}
