// A seq2seq batch. Target rows are shifted for teacher forcing: TargetInput = [start] + target,
// TargetOutput = target + [EOS] (start = BOS, or EOS when the vocabulary has no BOS). Padding is PadId.
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed record Seq2SeqBatch : Batch
{
    /// <summary>(B, S) int64: source tokens, then EOS when the stream appends one, then padding.</summary>
    public required Tensor Source { get; init; }
    /// <summary>(B, S) bool: true at padding.</summary>
    public required Tensor SourcePadding { get; init; }
    /// <summary>(B, T) int64: the decoder's input, [start] + target.</summary>
    public required Tensor TargetInput { get; init; }
    /// <summary>(B, T) int64: what the decoder predicts, target + [EOS]; padding is PadId (the loss's ignore_index).</summary>
    public required Tensor TargetOutput { get; init; }
    /// <summary>(B, T) bool: true at padding (the same positions in TargetInput and TargetOutput).</summary>
    public required Tensor TargetPadding { get; init; }
    /// <summary>Real source tokens (with EOS).</summary>
    public required long SourceTokens { get; init; }
    /// <summary>Real target tokens (target + EOS per row); RealTokens is the same number.</summary>
    public long TargetTokens => RealTokens;

    public override void Dispose()
    {
        Source.Dispose();
        SourcePadding.Dispose();
        TargetInput.Dispose();
        TargetOutput.Dispose();
        TargetPadding.Dispose();
    }
}
