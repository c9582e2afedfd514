// A language-model batch: B windows of the token stream, Input = window[0, T) and Target = window[1, T + 1).
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed record LanguageModelBatch : Batch
{
    /// <summary>(B, T) int64.</summary>
    public required Tensor Input { get; init; }
    /// <summary>(B, T) int64: Input shifted left by one token.</summary>
    public required Tensor Target { get; init; }

    public override void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
    }
}
