using Transformer.Models.Decoding;
using static Transformer.Tests.DecodingTestModels;

namespace Transformer.Tests;

[Collection(nameof(DecodingCollection))]
public class DecodingBeamSearchTests
{
    [Fact]
    public void Beam_search_over_an_encoder_decoder_is_the_same_with_and_without_the_cache()
    {
        using var scope = NewDisposeScope();
        using var model = Translator(seed: 24);
        var options = new BeamSearchOptions { MaxLength = 7, Eos = Eos, BeamSize = 3, NBest = 3 };
        AssertSame(Beam(Stepper(model, Sources(), useCache: false), options), Beam(Stepper(model, Sources()), options));
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Rotary)]
    public void Beam_search_over_a_decoder_only_model_is_the_same_with_and_without_the_cache(PositionalEncodingKind positional)
    {
        using var model = LanguageModel(positional);
        var options = new BeamSearchOptions { MaxLength = 6, Eos = Eos, BeamSize = 3, NBest = 2 };
        AssertSame(Beam(Stepper(model, Prompts(), useCache: false), options), Beam(Stepper(model, Prompts()), options));
    }

    [Fact]
    public void One_beam_without_length_penalty_is_greedy_decoding()
    {
        using var scope = NewDisposeScope();
        using var translator = Translator();
        using var lm = LanguageModel(PositionalEncodingKind.Rotary);
        var beam = new BeamSearchOptions { MaxLength = 8, Eos = Eos, BeamSize = 1, LengthPenalty = 0 };
        var greedy = new GreedyOptions { MaxLength = 8, Eos = Eos };
        AssertSame(Greedy(Stepper(translator, Sources()), greedy), Beam(Stepper(translator, Sources()), beam).Select(n => n[0]).ToArray());
        AssertSame(Greedy(Stepper(lm, Prompts()), greedy), Beam(Stepper(lm, Prompts()), beam).Select(n => n[0]).ToArray());
    }

    [Fact]
    public void One_beam_with_length_penalty_scores_at_least_as_well_as_greedy_decoding()
    {
        using var scope = NewDisposeScope();
        using var model = Translator();
        var beam = Beam(Stepper(model, Sources()), new BeamSearchOptions { MaxLength = 8, Eos = Eos, BeamSize = 1 });
        var greedy = Greedy(Stepper(model, Sources()), new GreedyOptions { MaxLength = 8, Eos = Eos });
        for (var row = 0; row < 3; row++)
            Assert.True(beam[row][0].Score >= LengthPenalty.Normalize(greedy[row].LogProbability, greedy[row].Length, 0.6) - 1e-5);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    public void Beam_search_finds_the_best_sequences_that_exhaustive_search_finds(double alpha)
    {
        // Vocabulary {pad, BOS, EOS, 3}: three tokens can be generated, so with at most 3 tokens there are
        // 15 hypotheses (7 ending in EOS, 8 cut at the maximum length); 6 beams never drop a contender.
        // With this seed the best hypothesis for source 0 is [] <eos> at α = 0 and [1 1 1] at α = 0.6.
        using var scope = NewDisposeScope();
        using var model = Translator(vocab: 4, seed: 14);
        var sources = tensor(new long[] { 3, 1, 2, 3, 3, 2, 0, 0 }, new long[] { 2, 4 });
        var options = new BeamSearchOptions { MaxLength = 3, Eos = Eos, BeamSize = 6, NBest = 6, LengthPenalty = alpha };
        var found = Beam(Stepper(model, sources), options);
        long[] others = [1, 3];
        for (var row = 0; row < 2; row++)
        {
            var source = Row(sources, row);
            var all = new List<Hypothesis>();
            foreach (var prefix in Sequences(others, 0).Concat(Sequences(others, 1)).Concat(Sequences(others, 2)))
                all.Add(Exhaustive(model, source, prefix, finished: true, alpha));
            foreach (var cut in Sequences(others, 3)) all.Add(Exhaustive(model, source, cut, finished: false, alpha));
            Assert.Equal(15, all.Count);
            var ranked = all.OrderByDescending(h => h.Score).Take(6).ToArray();
            AssertSame(ranked, found[row]);
        }
    }

    [Fact]
    public void N_best_lists_are_sorted_by_score_distinct_and_scored_like_the_model()
    {
        using var scope = NewDisposeScope();
        using var model = Translator(seed: 2);
        var sources = Sources();
        var options = new BeamSearchOptions { MaxLength = 6, Eos = Eos, BeamSize = 5, NBest = 5 };
        var results = Beam(Stepper(model, sources), options);
        for (var row = 0; row < 3; row++)
        {
            var nBest = results[row];
            Assert.Equal(5, nBest.Count);
            for (var i = 1; i < nBest.Count; i++) Assert.True(nBest[i - 1].Score >= nBest[i].Score);
            Assert.Equal(5, nBest.Select(h => $"{string.Join(',', h.Tokens)}|{h.Finished}").Distinct().Count());
            foreach (var h in nBest)
            {
                Assert.Equal(TeacherForcedLogProbability(model, Row(sources, row), h.Tokens, h.Finished), h.LogProbability, 1e-4);
                Assert.Equal(LengthPenalty.Normalize(h.LogProbability, h.Length, 0.6), h.Score, 1e-9);
            }
        }
    }

    [Fact]
    public void A_batch_of_sources_gets_the_beams_each_source_gets_alone()
    {
        using var scope = NewDisposeScope();
        using var model = Translator(seed: 18);
        var sources = Sources();
        var options = new BeamSearchOptions { MaxLength = 7, Eos = Eos, BeamSize = 4, NBest = 2 };
        var batched = Beam(Stepper(model, sources), options);
        for (var row = 0; row < 3; row++) AssertSame(Beam(Stepper(model, Row(sources, row)), options)[0], batched[row]);
    }

    [Fact]
    public void The_length_penalty_follows_GNMT()
    {
        Assert.Equal(1.0, LengthPenalty.Of(1, 0.6), 12);
        Assert.Equal(Math.Pow(15.0 / 6, 0.6), LengthPenalty.Of(10, 0.6), 12);
        Assert.Equal(1.0, LengthPenalty.Of(10, 0), 12);
        Assert.Equal(-2.0 / Math.Pow(8.0 / 6, 0.6), LengthPenalty.Normalize(-2, 3, 0.6), 12);
    }

    private static IEnumerable<long[]> Sequences(long[] tokens, int length) =>
        length == 0 ? [[]] : Sequences(tokens, length - 1).SelectMany(p => tokens.Select(t => (long[])[.. p, t]));

    private static Hypothesis Exhaustive(EncoderDecoder model, Tensor source, long[] tokens, bool finished, double alpha)
    {
        var logP = TeacherForcedLogProbability(model, source, tokens, finished);
        return new Hypothesis(tokens, LengthPenalty.Normalize(logP, tokens.Length + (finished ? 1 : 0), alpha), logP, finished);
    }
}
