// A classification batch: token rows (BOS first when the stream prepends it), their padding mask and labels.
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed record ClassificationBatch : Batch
{
    /// <summary>(B, T) int64, padded with PadId.</summary>
    public required Tensor Tokens { get; init; }
    /// <summary>(B, T) bool: true at padding.</summary>
    public required Tensor Padding { get; init; }
    /// <summary>(B) int64 label ids (meta.json's labels order).</summary>
    public required Tensor Labels { get; init; }
    public override void Dispose()
    {
        Tokens.Dispose();
        Padding.Dispose();
        Labels.Dispose();
    }
}
