// A masked-language-model batch: B rows of running text with some tokens masked (MlmMasking), and the original token
// at each chosen position as its label (IgnoreIndex elsewhere).
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed record MaskedLanguageModelBatch : Batch
{
    /// <summary>(B, T) int64: the model's input, masked.</summary>
    public required Tensor Input { get; init; }
    /// <summary>(B, T) int64: the original token at chosen positions, MlmMasking.IgnoreIndex elsewhere.</summary>
    public required Tensor Labels { get; init; }
    /// <summary>Positions chosen for prediction (labels that are not IgnoreIndex).</summary>
    public required long Chosen { get; init; }

    public override void Dispose()
    {
        Input.Dispose();
        Labels.Dispose();
    }
}
