// The model side of autoregressive decoding, as one step function over a batch of rows: the search
// algorithms (greedy, beam, sampling) are written once against this interface and serve every
// model kind. A stepper is built for one batch of inputs (sources, prompts) and used for one run.
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public interface IDecoderStep : IDisposable
{
    /// <summary>Rows currently decoded: the inputs' count until <see cref="Reorder"/> changes it.</summary>
    int BatchSize { get; }

    /// <summary>Size V of the distributions <see cref="Start"/> and <see cref="Step"/> return.</summary>
    long VocabSize { get; }

    /// <summary>Feeds the inputs (encodes the sources, or runs the prompts) and returns the log-probabilities
    /// (B, V) of the first generated token. Called once, before any <see cref="Step"/>. The padding id never
    /// gets probability: its log-probability is −∞ and the rest are renormalised.</summary>
    Tensor Start();

    /// <summary>Appends tokens (B, 1) int64, one per row, and returns the log-probabilities (B, V) of the next
    /// token. The caller owns the result.</summary>
    Tensor Step(Tensor tokens);

    /// <summary>New row r continues old row indices[r] (int64, 1-D): rows may be dropped, repeated or
    /// permuted, so the batch can shrink (finished rows), grow (one row per beam) or follow beam parents.</summary>
    void Reorder(Tensor indices);
}
