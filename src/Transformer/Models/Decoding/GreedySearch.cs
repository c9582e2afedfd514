// Greedy decoding, batched: each row takes its most probable token until EOS or max_length.
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public static class GreedySearch
{
    /// <summary>One hypothesis per batch row, in input order; Score = LogProbability (no length penalty).</summary>
    public static IReadOnlyList<Hypothesis> Decode(IDecoderStep model, GreedyOptions options) =>
        RowDecoder.Run(model, options, logProbs => logProbs.argmax(-1));
}
