// The search algorithms against a table model (DecodingTableModel), where exhaustive search and
// exact scores are cheap, over many random tables.
using Transformer.Models.Decoding;
using static Transformer.Tests.DecodingTableModel;

namespace Transformer.Tests;

[Collection(nameof(DecodingCollection))]
public class DecodingSearchTests
{
    [Fact]
    public void One_beam_without_length_penalty_is_greedy_decoding_on_many_random_tables()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            using var scope = NewDisposeScope();
            var greedy = GreedySearch.Decode(DecodingTableModel.Random(3, 6, 10, seed, eosBias: 1), new GreedyOptions { MaxLength = 10, Eos = Eos });
            var beam = BeamSearch.Decode(DecodingTableModel.Random(3, 6, 10, seed, eosBias: 1),
                new BeamSearchOptions { MaxLength = 10, Eos = Eos, BeamSize = 1, LengthPenalty = 0 });
            DecodingTestModels.AssertSame(greedy, beam.Select(n => n[0]).ToArray(), 1e-9);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(2.0)]
    public void A_beam_wide_enough_to_keep_every_prefix_returns_the_exhaustive_n_best(double alpha)
    {
        // Vocabulary {pad, BOS, EOS, 3, 4}: 4 tokens can follow, so at most 36 candidates reach step 3 of 4,
        // and 36 beams keep them all.
        const int maxLength = 4;
        long[] others = [Bos, 3, 4];
        for (var seed = 0; seed < 10; seed++)
        {
            using var scope = NewDisposeScope();
            var model = DecodingTableModel.Random(2, 5, maxLength, seed, sharpness: 1.5, eosBias: -0.5);
            var found = BeamSearch.Decode(model, new BeamSearchOptions { MaxLength = maxLength, Eos = Eos, BeamSize = 36, NBest = 10, LengthPenalty = alpha });
            for (var source = 0; source < 2; source++)
            {
                var all = Enumerable.Range(0, maxLength).SelectMany(n => Sequences(others, n)).Select(p => Scored(model, source, p, true, alpha))
                    .Concat(Sequences(others, maxLength).Select(p => Scored(model, source, p, false, alpha)));
                DecodingTestModels.AssertSame(all.OrderByDescending(h => h.Score).Take(10).ToArray(), found[source], 1e-9);
            }
        }
    }

    [Fact]
    public void With_a_strong_length_penalty_beam_search_finds_longer_hypotheses_than_greedy_and_never_scores_worse()
    {
        // α = 2 favours long hypotheses strongly: the best is usually cut at the maximum length even though
        // shorter ones finished first.
        var longer = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            var model = DecodingTableModel.Random(1, 6, 8, seed, eosBias: 1);
            var best = BeamSearch.Decode(model, new BeamSearchOptions { MaxLength = 8, Eos = Eos, BeamSize = 4, LengthPenalty = 2 })[0][0];
            var greedy = GreedySearch.Decode(DecodingTableModel.Random(1, 6, 8, seed, eosBias: 1), new GreedyOptions { MaxLength = 8, Eos = Eos })[0];
            if (best.Length > greedy.Length) longer++;
            Assert.True(best.Score >= LengthPenalty.Normalize(greedy.LogProbability, greedy.Length, 2) - 1e-9);
        }
        Assert.True(longer > 0);
    }

    [Fact]
    public void Beam_search_does_not_stop_at_a_finished_hypothesis_that_a_longer_one_can_still_beat_after_the_length_penalty()
    {
        // P(EOS) = 0.5 first, else 'a' (3) and then 'a' again with probability 0.999 at every step. With α = 1,
        // [] <eos> scores log 0.5 = −0.69; the open beam [a] scores log 0.4 = −0.92 now (a search that judged it
        // by its current score would stop here) but reaches ≈ −0.93 / lp(8) = −0.43 as [a a a a a a a a].
        var model = new DecodingTableModel(1, 5, (_, tokens) => DecodingTableModel.Normalize(tokens.Length == 0
            ? [0, Math.Log(0.05), Math.Log(0.5), Math.Log(0.4), Math.Log(0.05)]
            : [0, Math.Log(0.0005), Math.Log(0.0003), Math.Log(0.999), Math.Log(0.0002)]));
        var best = BeamSearch.Decode(model, new BeamSearchOptions { MaxLength = 8, Eos = Eos, BeamSize = 2, LengthPenalty = 1 })[0].Single();
        Assert.Equal(Enumerable.Repeat(3L, 8), best.Tokens);
        Assert.False(best.Finished);
        Assert.Equal(Math.Log(0.4) + 7 * Math.Log(0.999), best.LogProbability, 1e-6);
        Assert.Equal(best.LogProbability / (13.0 / 6), best.Score, 1e-9);
    }

    [Fact]
    public void Without_an_EOS_every_hypothesis_runs_to_the_maximum_length()
    {
        var model = DecodingTableModel.Random(2, 6, 5, seed: 1);
        foreach (var h in BeamSearch.Decode(model, new BeamSearchOptions { MaxLength = 5, BeamSize = 3, NBest = 3 }).SelectMany(n => n))
        {
            Assert.False(h.Finished);
            Assert.Equal(5, h.Tokens.Length);
        }
        foreach (var h in GreedySearch.Decode(DecodingTableModel.Random(2, 6, 5, seed: 1), new GreedyOptions { MaxLength = 5 }))
            Assert.Equal(5, h.Tokens.Length);
    }

    [Fact]
    public void Sampling_follows_the_model_distribution_and_never_draws_padding()
    {
        // One step for 4000 rows that share one distribution: the frequencies match the table.
        using var scope = NewDisposeScope();
        var model = DecodingTableModel.Random(4000, 5, 1, seed: 3, sharpness: 1, sameTable: true);
        var samples = Sampler.Decode(model, new SamplingOptions { MaxLength = 1, Seed = 5 });
        Assert.DoesNotContain(samples, s => s.Tokens.Contains(Pad));
        for (var v = 1; v < 5; v++)
        {
            var frequency = samples.Count(s => (s.Finished ? Eos : s.Tokens[0]) == v) / 4000.0;
            Assert.Equal(Math.Exp(model.LogProbability(0, [v], false)), frequency, 0.03);
        }
    }

    [Theory]
    [InlineData(new long[] { 3, 4, 3 }, 2, new long[] { 4 })]                 // "3 4" was generated: after 3, 4 is out
    [InlineData(new long[] { 3, 4, 3, 5, 3 }, 2, new long[] { 4, 5 })]
    [InlineData(new long[] { 3, 4, 5, 3, 4 }, 3, new long[] { 5 })]           // "3 4 5" was generated: after "3 4", 5 is out
    [InlineData(new long[] { 3, 4, 5, 4, 3 }, 3, new long[0])]               // "4 3" never occurred before
    [InlineData(new long[] { 5, 3, 5 }, 1, new long[] { 5, 3 })]              // unigrams: every token generated so far
    [InlineData(new long[] { 3 }, 3, new long[0])]                           // shorter than n − 1: nothing to repeat
    [InlineData(new long[] { 7, 7 }, 2, new long[] { 7 })]                    // "7 7" once; a third 7 would repeat it
    [InlineData(new long[] { 3, 4, 3 }, 0, new long[0])]                     // off
    public void The_tokens_banned_by_the_no_repeat_rule_are_those_completing_an_n_gram_already_generated(long[] history, int n, long[] banned)
    {
        Assert.Equal(banned, RepeatedNgrams.Banned(history, n));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_beam_wide_enough_to_keep_every_prefix_returns_the_exhaustive_n_best_among_outputs_without_a_repeated_n_gram(int n)
    {
        // As the exhaustive test above, over the sequences in which no n-gram occurs twice; scores stay the model's.
        const int maxLength = 4;
        long[] others = [Bos, 3, 4];
        var repeats = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            using var scope = NewDisposeScope();
            var model = DecodingTableModel.Random(2, 5, maxLength, seed, sharpness: 1.5, eosBias: -0.5);
            var options = new BeamSearchOptions { MaxLength = maxLength, Eos = Eos, BeamSize = 36, NBest = 5, LengthPenalty = 0.6 };
            var found = BeamSearch.Decode(model, options with { NoRepeatNgramSize = n });
            var free = BeamSearch.Decode(DecodingTableModel.Random(2, 5, maxLength, seed, sharpness: 1.5, eosBias: -0.5), options);
            for (var source = 0; source < 2; source++)
            {
                var all = Enumerable.Range(0, maxLength).SelectMany(k => Sequences(others, k)).Select(p => Scored(model, source, p, true, 0.6))
                    .Concat(Sequences(others, maxLength).Select(p => Scored(model, source, p, false, 0.6)))
                    .Where(h => !RepeatsAnNgram(h.Tokens, n));
                DecodingTestModels.AssertSame(all.OrderByDescending(h => h.Score).Take(5).ToArray(), found[source], 1e-9);
                repeats += free[source].Count(h => RepeatsAnNgram(h.Tokens, n));
            }
        }
        Assert.True(repeats > 0, "without the rule some of the n-best repeat an n-gram, or the rule was never tested");
    }

    [Fact]
    public void Greedy_decoding_with_the_no_repeat_rule_takes_the_most_probable_token_that_repeats_no_n_gram()
    {
        // A table that loops: 4 3 3 4 3 3 … without the rule (token 3's logit cycles 0, 0.5, 1 against 4's 0.3; no ties).
        static double[] Next(long[] tokens) => DecodingTableModel.Normalize([0, -3, -2.5, 0.5 * (tokens.Length % 3), 0.3, -1]);
        foreach (var n in new[] { 1, 2, 3 })
        {
            var decoded = GreedySearch.Decode(new DecodingTableModel(1, 6, (_, t) => Next(t)), new GreedyOptions { MaxLength = 12, Eos = Eos, NoRepeatNgramSize = n })[0];
            // The same choice by hand: the best token whose n-gram with the last n − 1 tokens is new.
            var expected = new List<long>();
            var logP = 0.0;
            for (var step = 0; step < 12; step++)
            {
                var p = Next([.. expected]);
                var allowed = Enumerable.Range(1, 5).Where(t => t == Eos || !RepeatsAnNgram([.. expected, t], n));
                var best = allowed.MaxBy(t => p[t]);
                logP += p[best];
                if (best == Eos) break;
                expected.Add(best);
            }
            Assert.Equal(expected, decoded.Tokens);
            Assert.Equal(logP, decoded.LogProbability, 1e-9);
            Assert.False(RepeatsAnNgram(decoded.Tokens, n));
        }
        var free = GreedySearch.Decode(new DecodingTableModel(1, 6, (_, t) => Next(t)), new GreedyOptions { MaxLength = 12, Eos = Eos })[0];
        Assert.True(RepeatsAnNgram(free.Tokens, 3), $"the table should loop without the rule: [{string.Join(' ', free.Tokens)}]");
    }

    [Fact]
    public void Samples_never_repeat_an_n_gram_under_the_rule()
    {
        using var scope = NewDisposeScope();
        var options = new SamplingOptions { MaxLength = 10, Eos = Eos, Seed = 4 };
        var free = Sampler.Decode(DecodingTableModel.Random(200, 6, 10, seed: 5, sharpness: 1, eosBias: -2, sameTable: true), options);
        var ruled = Sampler.Decode(DecodingTableModel.Random(200, 6, 10, seed: 5, sharpness: 1, eosBias: -2, sameTable: true), options with { NoRepeatNgramSize = 2 });
        Assert.Contains(free, h => RepeatsAnNgram(h.Tokens, 2));
        Assert.DoesNotContain(ruled, h => RepeatsAnNgram(h.Tokens, 2));
    }

    /// <summary>Whether some n-gram occurs twice in <paramref name="tokens"/> (by counting, independently of RepeatedNgrams).</summary>
    private static bool RepeatsAnNgram(IReadOnlyList<long> tokens, int n) =>
        Enumerable.Range(0, Math.Max(0, tokens.Count - n + 1)).Select(i => string.Join(',', tokens.Skip(i).Take(n))).GroupBy(g => g).Any(g => g.Count() > 1);

    private static IEnumerable<long[]> Sequences(long[] tokens, int length) =>
        length == 0 ? [[]] : Sequences(tokens, length - 1).SelectMany(p => tokens.Select(t => (long[])[.. p, t]));

    private static Hypothesis Scored(DecodingTableModel model, int source, long[] tokens, bool finished, double alpha)
    {
        var logP = model.LogProbability(source, tokens, finished);
        return new Hypothesis(tokens, LengthPenalty.Normalize(logP, tokens.Length + (finished ? 1 : 0), alpha), logP, finished);
    }
}
