// Beam search with the GNMT length penalty, batched over sources: B × beam rows in the stepper, whose
// cache follows each beam's parent through Reorder.
//
// Each step scores every (beam, token) continuation by log P and goes through each source's 2·beam
// best, best first, until `beam` of them stay open: those ending in EOS on the way are set aside as
// finished hypotheses, scored log P / lp(|Y|) with |Y| counting the EOS (at most `beam` candidates
// end in EOS, one per beam, so `beam` others are always there). A source stops when its
// n_best-th finished hypothesis scores at least what any open beam could still reach — log P only
// falls as a beam grows and lp grows with length, so that is at most log P / lp(max_length) — or when
// no beam is left open, or at max_length, where the open beams become unfinished hypotheses scored at
// |Y| = max_length. Finished sources leave the batch.
//
// With no_repeat_ngram_size n, a continuation that repeats an n-gram of its beam is never considered (−∞).
//
// With beam_size 1 and α = 0 this is exactly greedy decoding. With α > 0 one beam may search on after
// greedy's EOS (a longer hypothesis can score better once normalised); greedy's hypothesis is then
// still among those considered, so the result scores at least as well.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public static class BeamSearch
{
    private sealed record Beam(long[] Tokens, double LogProbability, long Parent);

    /// <summary>For each source (batch row of the stepper, in order), its n_best hypotheses, best first.</summary>
    public static IReadOnlyList<IReadOnlyList<Hypothesis>> Decode(IDecoderStep model, BeamSearchOptions options)
    {
        options.Validate(model.VocabSize);
        using var noGrad = no_grad();
        var (sources, width, vocab, alpha) = (model.BatchSize, options.BeamSize, model.VocabSize, options.LengthPenalty);
        var finished = Enumerable.Range(0, sources).Select(_ => new List<Hypothesis>()).ToArray();
        var beams = new Beam[sources][];                           // open beams of each active source
        var start = new Beam(Array.Empty<long>(), 0, 0);
        var dead = new Beam(Array.Empty<long>(), double.NegativeInfinity, 0);
        for (var s = 0; s < sources; s++) beams[s] = Enumerable.Range(0, width).Select(k => k == 0 ? start : dead).ToArray();
        var active = Enumerable.Range(0, sources).ToArray();       // stepper row a·width + k is beam k of source active[a]
        long[] feed = Array.Empty<long>();
        Device? device = null;
        for (var step = 1; step <= options.MaxLength; step++)
        {
            using var scope = NewDisposeScope();
            Tensor logProbs;
            if (step == 1)
            {
                var first = model.Start();                         // (B, V)
                device = first.device;
                var expand = DecodingMath.Indices(Enumerable.Range(0, sources * width).Select(r => (long)(r / width)).ToArray(), device);
                model.Reorder(expand);
                logProbs = first.index_select(0, expand);          // (B·beam, V)
            }
            else logProbs = model.Step(DecodingMath.Column(feed, device));
            if (options.NoRepeatNgramSize > 0)
                RepeatedNgrams.Block(logProbs, active.SelectMany(s => beams[s].Select(b => b.Tokens)).ToArray(), options.NoRepeatNgramSize);

            var sums = tensor(active.SelectMany(s => beams[s].Select(b => b.LogProbability)).ToArray(), new long[] { active.Length * width, 1 }, device: device);
            var candidates = (logProbs.to(ScalarType.Float64) + sums).view(active.Length, width * vocab);
            var considered = Math.Min(2L * width, width * vocab);
            var (values, indices) = candidates.topk((int)considered, -1);
            var (best, where) = (values.cpu().data<double>().ToArray(), indices.cpu().data<long>().ToArray());

            var parents = new List<long>();
            var nextFeed = new List<long>();
            var stillActive = new List<int>();
            for (var a = 0; a < active.Length; a++)
            {
                var s = active[a];
                var open = new List<Beam>(width);
                for (var rank = 0; rank < considered && open.Count < width; rank++)
                {
                    var value = best[a * considered + rank];
                    if (double.IsNegativeInfinity(value)) break;
                    var (parent, token) = (where[a * considered + rank] / vocab, where[a * considered + rank] % vocab);
                    var history = beams[s][parent].Tokens;
                    if (token == options.Eos)
                    {
                        finished[s].Add(new Hypothesis(history, LengthPenalty.Normalize(value, step, alpha), value, true));
                        continue;
                    }
                    open.Add(new Beam([.. history, token], value, parent));
                }
                if (step == options.MaxLength)
                {
                    finished[s].AddRange(open.Select(b => new Hypothesis(b.Tokens, LengthPenalty.Normalize(b.LogProbability, step, alpha), b.LogProbability, false)));
                    continue;
                }
                if (open.Count == 0 || Done(finished[s], open[0].LogProbability, options)) continue;
                while (open.Count < width) open.Add(open[0] with { LogProbability = double.NegativeInfinity });
                beams[s] = open.ToArray();
                stillActive.Add(s);
                foreach (var b in open)
                {
                    parents.Add(a * width + b.Parent);
                    nextFeed.Add(b.Tokens[^1]);
                }
            }
            if (stillActive.Count == 0) break;
            model.Reorder(DecodingMath.Indices(parents, device));
            active = stillActive.ToArray();
            feed = nextFeed.ToArray();
        }
        return finished.Select(list => (IReadOnlyList<Hypothesis>)list
            .OrderByDescending(h => h.Score).Take(options.NBest).ToArray()).ToArray();
    }

    /// <summary>True when the n_best-th finished hypothesis scores at least the best any open beam could reach:
    /// <paramref name="bestOpen"/> (≤ 0) can only fall, and lp is largest at max_length.</summary>
    private static bool Done(List<Hypothesis> finished, double bestOpen, BeamSearchOptions options)
    {
        if (finished.Count < options.NBest) return false;
        var nth = finished.Select(h => h.Score).OrderDescending().ElementAt(options.NBest - 1);
        var reachable = LengthPenalty.Normalize(Math.Min(bestOpen, 0), options.MaxLength, options.LengthPenalty);
        return nth >= reachable;
    }
}
