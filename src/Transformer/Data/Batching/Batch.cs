// A batch of int64 tensors for one training step. The batch owns its tensors: dispose it (or the dispose
// scope it was created in) after the step.
namespace Transformer.Data.Batching;

public abstract record Batch : IDisposable
{
    /// <summary>One index per row: the example (for language models, the window) each row holds.</summary>
    public required long[] Examples { get; init; }
    /// <summary>This batch's place in the stream.</summary>
    public required DataCursor At { get; init; }
    /// <summary>The cursor to save after training on this batch: reading from it yields the batch after this one.</summary>
    public required DataCursor Next { get; init; }

    public int Rows => Examples.Length;

    /// <summary>Real (non-padding) tokens the loss is computed over: seq2seq target tokens (with EOS), language
    /// model targets (B·T), classification input tokens.</summary>
    public required long RealTokens { get; init; }

    public abstract void Dispose();
}
