using Transformer.Models.Decoding;
using static Transformer.Tests.DecodingTestModels;

namespace Transformer.Tests;

[Collection(nameof(DecodingCollection))]
public class DecodingSamplingTests
{
    [Fact]
    public void Sampling_with_a_fixed_seed_is_reproducible_and_the_same_with_and_without_the_cache()
    {
        using var model = LanguageModel(PositionalEncodingKind.Rotary);
        var options = new SamplingOptions { MaxLength = 10, Eos = Eos, Seed = 42, Temperature = 1.5 };
        var first = Sample(Stepper(model, Prompts()), options);
        AssertSame(first, Sample(Stepper(model, Prompts()), options), 0);
        AssertSame(first, Sample(Stepper(model, Prompts(), useCache: false), options));
        var others = Enumerable.Range(1, 4).Select(seed => Sample(Stepper(model, Prompts()), options with { Seed = seed }));
        Assert.Contains(others, o => o.Zip(first).Any(pair => !pair.First.Tokens.SequenceEqual(pair.Second.Tokens)));
    }

    [Fact]
    public void Sampling_with_top_k_1_or_a_temperature_near_0_is_greedy_decoding()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var greedy = Greedy(Stepper(model, Sources()), new GreedyOptions { MaxLength = 8, Eos = Eos });
        var topOne = Sample(Stepper(model, Sources()), new SamplingOptions { MaxLength = 8, Eos = Eos, Seed = 3, TopK = 1, Temperature = 5 });
        var cold = Sample(Stepper(model, Sources()), new SamplingOptions { MaxLength = 8, Eos = Eos, Seed = 3, Temperature = 1e-4 });
        AssertSame(greedy, topOne);
        AssertSame(greedy, cold);
    }

    [Fact]
    public void Sampled_scores_are_the_model_log_probabilities_of_the_samples()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var sources = Sources();
        var samples = Sample(Stepper(model, sources), new SamplingOptions { MaxLength = 6, Eos = Eos, Seed = 9, Temperature = 2, TopP = 0.8 });
        for (var row = 0; row < 3; row++)
            Assert.Equal(TeacherForcedLogProbability(model, Row(sources, row), samples[row].Tokens, samples[row].Finished), samples[row].LogProbability, 1e-4);
    }

    // p = 0.05, 0.5, 0.1, 0.2, 0.15 (shuffled, so the filter must put tokens back where they were).
    private static readonly double[] Distribution = [0.05, 0.5, 0.1, 0.2, 0.15];

    [Theory]
    [InlineData(1.0, new[] { 0, 1, 2, 3, 4 })]
    [InlineData(0.9, new[] { 1, 2, 3, 4 })]   // 0.5 + 0.2 + 0.15 = 0.85 < 0.9, so 0.1 joins
    [InlineData(0.8, new[] { 1, 3, 4 })]      // 0.85 ≥ 0.8
    [InlineData(0.6, new[] { 1, 3 })]
    [InlineData(0.3, new[] { 1 })]
    [InlineData(1e-9, new[] { 1 })]           // always at least the most probable token
    public void Top_p_keeps_only_the_nucleus(double p, int[] nucleus)
    {
        using var scope = NewDisposeScope();
        var logProbs = tensor(Distribution, new long[] { 1, 5 }).log();
        var kept = TokenFilter.Apply(logProbs, topP: p).exp().data<double>().ToArray();
        var mass = nucleus.Sum(i => Distribution[i]);
        for (var i = 0; i < 5; i++) Assert.Equal(nucleus.Contains(i) ? Distribution[i] / mass : 0, kept[i], 1e-9);
    }

    [Fact]
    public void Top_k_keeps_the_k_most_probable_tokens_of_each_row()
    {
        using var scope = NewDisposeScope();
        var logProbs = tensor(Distribution.Concat(Distribution.Reverse()).ToArray(), new long[] { 2, 5 }).log();
        var kept = TokenFilter.Apply(logProbs, topK: 2).exp().data<double>().ToArray();
        double[] expected = [0, 0.5 / 0.7, 0, 0.2 / 0.7, 0, 0, 0.2 / 0.7, 0, 0.5 / 0.7, 0];
        for (var i = 0; i < 10; i++) Assert.Equal(expected[i], kept[i], 1e-9);
    }

    [Fact]
    public void Temperature_raises_the_probabilities_to_the_power_one_over_t()
    {
        using var scope = NewDisposeScope();
        var logProbs = tensor(Distribution, new long[] { 1, 5 }).log();
        var kept = TokenFilter.Apply(logProbs, temperature: 0.5).exp().data<double>().ToArray();
        var norm = Distribution.Sum(p => p * p);
        for (var i = 0; i < 5; i++) Assert.Equal(Distribution[i] * Distribution[i] / norm, kept[i], 1e-9);
    }

    [Fact]
    public void Sampled_tokens_follow_the_filtered_distribution()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(11);
        var logProbs = tensor(Distribution, new long[] { 1, 5 }).log().expand(20000, 5);
        var filtered = TokenFilter.Apply(logProbs, topP: 0.8);
        var drawn = filtered.exp().multinomial(1).data<long>().ToArray();
        double[] expected = [0, 0.5 / 0.85, 0, 0.2 / 0.85, 0.15 / 0.85];
        for (var i = 0; i < 5; i++) Assert.Equal(expected[i], drawn.Count(t => t == i) / 20000.0, 0.02);
    }
}
