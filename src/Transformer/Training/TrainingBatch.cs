// A batch as the trainer consumes it: int64 token tensors for one of the three model kinds, plus the
// number of real (non-padding) target tokens. The batch owns its tensors.
using static Transformer.Torch.torch;

namespace Transformer.Training;

public abstract record TrainingBatch : IDisposable
{
    /// <summary>Real target tokens (or examples, for classification): the unit of the loss average and of throughput.</summary>
    public abstract long TargetTokens { get; }

    /// <summary>Rows in the batch.</summary>
    public abstract long Rows { get; }

    public abstract void Dispose();
}

/// <summary>Sequence-to-sequence: source (B, S); decoder input (B, T) starting with BOS; decoder output (B, T) ending with EOS.</summary>
public sealed record SequencePairBatch(Tensor Source, Tensor TargetInput, Tensor TargetOutput, long TargetTokenCount) : TrainingBatch
{
    public override long TargetTokens => TargetTokenCount;
    public override long Rows => Source.size(0);

    public override void Dispose()
    {
        Source.Dispose();
        TargetInput.Dispose();
        TargetOutput.Dispose();
    }
}

/// <summary>Language modelling: input (B, T) and the same stream shifted by one as target (B, T).</summary>
public sealed record TokenStreamBatch(Tensor Input, Tensor Target, long TargetTokenCount) : TrainingBatch
{
    public override long TargetTokens => TargetTokenCount;
    public override long Rows => Input.size(0);

    public override void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
    }
}

/// <summary>Classification: tokens (B, T) and one label id per row (B).</summary>
public sealed record LabeledBatch(Tensor Tokens, Tensor Labels) : TrainingBatch
{
    public override long TargetTokens => Labels.size(0);
    public override long Rows => Labels.size(0);

    public override void Dispose()
    {
        Tokens.Dispose();
        Labels.Dispose();
    }
}
