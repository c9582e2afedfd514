using Transformer.Models.Decoding;
using static Transformer.Tests.DecodingTestModels;

namespace Transformer.Tests;

[Collection(nameof(DecodingCollection))]
public class DecodingGreedyTests
{
    [Fact]
    public void Greedy_decoding_of_an_encoder_decoder_is_the_same_with_and_without_the_cache()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var options = new GreedyOptions { MaxLength = 8, Eos = Eos };
        var cached = Greedy(Stepper(model, Sources()), options);
        var recomputed = Greedy(Stepper(model, Sources(), useCache: false), options);
        AssertSame(recomputed, cached);
        Assert.All(cached, h => Assert.True(h.Tokens.Length > 0));
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Learned)]
    [InlineData(PositionalEncodingKind.Rotary)]
    public void Greedy_decoding_of_prompts_of_different_lengths_is_the_same_with_and_without_the_cache(PositionalEncodingKind positional)
    {
        using var model = LanguageModel(positional);
        var options = new GreedyOptions { MaxLength = 7, Eos = Eos };
        var cached = Greedy(Stepper(model, Prompts()), options);
        var recomputed = Greedy(Stepper(model, Prompts(), useCache: false), options);
        AssertSame(recomputed, cached);
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Rotary)]
    public void A_batch_of_prompts_of_different_lengths_decodes_as_each_prompt_alone(PositionalEncodingKind positional)
    {
        // Rotary goes through left padding with masked padding keys, sinusoidal through groups of equal length.
        using var model = LanguageModel(positional);
        var options = new GreedyOptions { MaxLength = 6 };
        var batched = Greedy(Stepper(model, Prompts()), options);
        var alone = Prompts().Select(p => Greedy(Stepper(model, [p]), options)[0]).ToArray();
        AssertSame(alone, batched);
        Assert.All(batched, h => Assert.False(double.IsNaN(h.Score)));
    }

    [Fact]
    public void EOS_stops_one_row_while_the_others_continue()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var sources = Sources();
        // Decode without an EOS first, then choose as EOS a token that row 0 produces and row 1 never does.
        var free = Greedy(Stepper(model, sources), new GreedyOptions { MaxLength = 8 });
        var eos = free[0].Tokens.Skip(1).Cast<long?>().FirstOrDefault(t => !free[1].Tokens.Contains(t!.Value));
        Assert.NotNull(eos);
        var stopAt = Array.IndexOf(free[0].Tokens, eos!.Value);

        var options = new GreedyOptions { MaxLength = 8, Eos = eos };
        var batched = Greedy(Stepper(model, sources), options);
        Assert.True(batched[0].Finished);
        Assert.Equal(free[0].Tokens[..stopAt], batched[0].Tokens);
        Assert.False(batched[1].Finished);
        Assert.Equal(8, batched[1].Tokens.Length);
        Assert.Equal(free[1].Tokens, batched[1].Tokens);
        for (var row = 0; row < 3; row++)
            AssertSame(Greedy(Stepper(model, Row(sources, row)), options)[0], batched[row]);
    }

    [Fact]
    public void Greedy_scores_are_the_model_log_probabilities_of_the_decoded_tokens()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var sources = Sources();
        var results = Greedy(Stepper(model, sources), new GreedyOptions { MaxLength = 6, Eos = Eos });
        for (var row = 0; row < 3; row++)
        {
            var h = results[row];
            Assert.Equal(h.LogProbability, h.Score);
            Assert.Equal(TeacherForcedLogProbability(model, Row(sources, row), h.Tokens, h.Finished), h.LogProbability, 1e-4);
        }
    }

    [Fact]
    public void Decoding_leaves_no_tensors_behind_in_the_callers_dispose_scope()
    {
        using var model = Translator();
        using var lm = LanguageModel(PositionalEncodingKind.Rotary);
        using var scope = NewDisposeScope();
        var sources = Sources();
        var before = scope.DisposablesCount;
        Greedy(Stepper(model, sources), new GreedyOptions { MaxLength = 5, Eos = Eos });
        Beam(Stepper(model, sources, useCache: false), new BeamSearchOptions { MaxLength = 5, Eos = Eos, BeamSize = 3 });
        Sample(Stepper(lm, Prompts()), new SamplingOptions { MaxLength = 5, Seed = 1, TopK = 4, TopP = 0.9 });
        Beam(Stepper(lm, Prompts()), new BeamSearchOptions { MaxLength = 5, BeamSize = 2 });
        Assert.Equal(before, scope.DisposablesCount);
    }
}
