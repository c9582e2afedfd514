using Transformer.Models.Decoding;
using static Transformer.Tests.DecodingTestModels;

namespace Transformer.Tests;

[Collection(nameof(DecodingCollection))]
public class DecodingOptionsTests
{
    public static TheoryData<DecodingOptions, string> Invalid => new()
    {
        { new GreedyOptions { MaxLength = 0 }, "max_length must be at least 1, got 0" },
        { new GreedyOptions { Eos = -1 }, "eos must be a token id ≥ 0, got -1" },
        { new GreedyOptions { NoRepeatNgramSize = -1 }, "no_repeat_ngram_size must be 0 (off) or a number of tokens ≥ 1, got -1" },
        { new BeamSearchOptions { BeamSize = 0, NBest = 0 }, "beam_size must be at least 1, got 0" },
        { new BeamSearchOptions { LengthPenalty = -0.5 }, "length_penalty must be a finite number ≥ 0, got -0.5" },
        { new BeamSearchOptions { LengthPenalty = double.NaN }, "length_penalty must be a finite number ≥ 0, got NaN" },
        { new BeamSearchOptions { BeamSize = 4, NBest = 5 }, "n_best must be between 1 and beam_size (4), got 5" },
        { new SamplingOptions { Temperature = 0 }, "temperature must be positive and finite, got 0" },
        { new SamplingOptions { TopK = 0 }, "top_k must be at least 1, got 0" },
        { new SamplingOptions { TopP = 1.5 }, "top_p must be in (0, 1], got 1.5" },
        { new SamplingOptions { TopP = 0 }, "top_p must be in (0, 1], got 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_rejected_with_a_message_naming_the_option(DecodingOptions options, string message)
    {
        Assert.Equal(message, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void The_defaults_are_valid_and_follow_the_GNMT_paper_for_beam_search()
    {
        new GreedyOptions().Validate();
        new SamplingOptions { TopK = 1, TopP = 1 }.Validate();
        var beam = new BeamSearchOptions();
        beam.Validate();
        Assert.Equal((4, 0.6, 1), (beam.BeamSize, beam.LengthPenalty, beam.NBest));
    }

    [Fact]
    public void Decoding_checks_the_options_and_inputs_against_the_model()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        using var lm = LanguageModel();
        var error = Assert.Throws<ArgumentException>(() => Greedy(Stepper(model, Sources()), new GreedyOptions { Eos = 12 }));
        Assert.Equal("eos 12 is outside the vocabulary of 12 tokens", error.Message);
        Assert.Equal("bos must not be the padding id (0)",
            Assert.Throws<ArgumentException>(() => new EncoderDecoderStepper(model, Sources(), bos: 0)).Message);
        Assert.Equal("prompt 1 holds the padding id 0 at position 1",
            Assert.Throws<ArgumentException>(() => DecoderOnlyStepper.Create(lm, [[3], [4, 0]])).Message);
        Assert.Equal("prompt 0 is empty: a prompt needs at least one token (e.g. BOS)",
            Assert.Throws<ArgumentException>(() => DecoderOnlyStepper.Create(lm, [[]])).Message);
        model.train();
        Assert.Contains("call model.eval()", Assert.Throws<InvalidOperationException>(() => Stepper(model, Sources())).Message);
    }
}
