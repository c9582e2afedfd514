// A rank's share of a global batch: rows rank, rank + size, rank + 2·size… of the batch one process would
// build, so the shares are disjoint, deterministic, and together exactly that batch (whatever the number of
// ranks, which keeps the data cursor in global terms). Rows keep the batch's padded width: the padding a
// share does not need is masked, as it is in the whole batch.
using Transformer.Data.Batching;
using static TorchSharp.torch;

namespace Transformer.Distributed;

public static class BatchShard
{
    /// <summary>This rank's rows of <paramref name="batch"/> as a new batch (the caller disposes both), or null when
    /// the batch has fewer rows than ranks and none fall to this one.</summary>
    public static Batch? Take(Batch batch, int rank, int size)
    {
        var rows = Enumerable.Range(0, batch.Rows).Where(r => r % size == rank).ToArray();
        if (rows.Length == 0) return null;
        using var scope = NewDisposeScope();
        using var index = tensor(rows.Select(r => (long)r).ToArray());
        Tensor Rows(Tensor t) => t.index_select(0, index).DetachFromDisposeScope();
        var examples = rows.Select(r => batch.Examples[r]).ToArray();
        switch (batch)
        {
            case Seq2SeqBatch b:
            {
                var source = Rows(b.Source);
                var targetPadding = Rows(b.TargetPadding);
                var sourcePadding = Rows(b.SourcePadding);
                return b with
                {
                    Examples = examples, Source = source, SourcePadding = sourcePadding, TargetInput = Rows(b.TargetInput),
                    TargetOutput = Rows(b.TargetOutput), TargetPadding = targetPadding,
                    RealTokens = targetPadding.logical_not().sum().item<long>(), SourceTokens = sourcePadding.logical_not().sum().item<long>(),
                };
            }
            case LanguageModelBatch b:
            {
                var input = Rows(b.Input);
                return b with { Examples = examples, Input = input, Target = Rows(b.Target), RealTokens = input.numel() };
            }
            case MaskedLanguageModelBatch b:
            {
                var input = Rows(b.Input);
                var labels = Rows(b.Labels);
                return b with
                {
                    Examples = examples, Input = input, Labels = labels, RealTokens = input.numel(),
                    Chosen = labels.ne(MlmMasking.IgnoreIndex).sum().item<long>(),
                };
            }
            case ClassificationBatch b:
            {
                var padding = Rows(b.Padding);
                return b with
                {
                    Examples = examples, Tokens = Rows(b.Tokens), Padding = padding, Labels = Rows(b.Labels),
                    RealTokens = padding.logical_not().sum().item<long>(),
                };
            }
            default:
                throw new ArgumentException($"cannot shard a {batch.GetType().Name}");
        }
    }
}
