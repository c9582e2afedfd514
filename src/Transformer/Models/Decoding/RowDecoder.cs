// The loop greedy decoding and sampling share: every row picks one token per step, independently of
// the others; a row that produces EOS is finished and leaves the batch (the stepper drops its rows,
// cache included), and decoding ends when no row is left or after max_length tokens. Tokens that would repeat an
// n-gram of the row (no_repeat_ngram_size) are ruled out before the choice.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

internal static class RowDecoder
{
    /// <param name="choose">log-probabilities (R, V) → the chosen ids (R) int64.</param>
    public static IReadOnlyList<Hypothesis> Run(IDecoderStep model, DecodingOptions options, Func<Tensor, Tensor> choose)
    {
        options.Validate(model.VocabSize);
        using var noGrad = no_grad();
        var rows = model.BatchSize;
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<long>()).ToArray();
        var logProbability = new double[rows];
        var finished = new bool[rows];
        var active = Enumerable.Range(0, rows).ToArray();              // stepper row → batch row
        long[] feed = Array.Empty<long>();
        Device? device = null;
        for (var step = 1; step <= options.MaxLength; step++)
        {
            using var scope = NewDisposeScope();
            var logProbs = step == 1 ? model.Start() : model.Step(DecodingMath.Column(feed, device));
            device ??= logProbs.device;
            if (options.NoRepeatNgramSize > 0)
                RepeatedNgrams.Block(logProbs, active.Select(row => tokens[row].ToArray()).ToArray(), options.NoRepeatNgramSize);
            var chosen = choose(logProbs);
            var chosenLogProbs = logProbs.gather(1, chosen.unsqueeze(1)).to(ScalarType.Float64);
            var ids = chosen.cpu().data<long>().ToArray();
            var scores = chosenLogProbs.cpu().data<double>().ToArray();
            var keep = new List<long>(active.Length);
            for (var r = 0; r < active.Length; r++)
            {
                var row = active[r];
                logProbability[row] += scores[r];
                if (ids[r] == options.Eos) finished[row] = true;
                else
                {
                    tokens[row].Add(ids[r]);
                    keep.Add(r);
                }
            }
            if (keep.Count == 0 || step == options.MaxLength) break;
            if (keep.Count < active.Length)
            {
                model.Reorder(DecodingMath.Indices(keep, device));
                active = keep.Select(r => active[r]).ToArray();
            }
            feed = keep.Select(r => ids[r]).ToArray();
        }
        return Enumerable.Range(0, rows)
            .Select(i => new Hypothesis(tokens[i].ToArray(), logProbability[i], logProbability[i], finished[i]))
            .ToArray();
    }
}
