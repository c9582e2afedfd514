// Token-budget batches of a classification split: Tokens = [BOS] + text when prependBos and the vocabulary has
// a BOS id (first-token pooling reads that position), padded with PadId; Labels = the label ids.
using Transformer.Data.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed class ClassificationBatchStream : BatchStream<ClassificationBatch>
{
    private readonly PreparedSplit split;
    private readonly long pad;
    private readonly long? bos;
    private readonly Device? device;
    private readonly int? truncateTo;

    /// <param name="truncateTo">Keep at most this many tokens of each text (BOS included), e.g. the model's
    /// max_positions; null keeps whole texts (then longer ones follow options.Oversized).</param>
    public ClassificationBatchStream(PreparedDataset data, string splitName, TokenBudgetOptions options, bool prependBos = true,
        Device? device = null, int? truncateTo = null)
    {
        if (truncateTo is < 2) throw new ArgumentOutOfRangeException(nameof(truncateTo), truncateTo, "keep at least 2 tokens");
        this.truncateTo = truncateTo;
        StreamRequirements.Kind(data, DatasetKind.Classification);
        pad = StreamRequirements.Id(data, data.Meta.PadId, "pad_id", "to pad classification batches");
        bos = prependBos ? data.Meta.BosId : null;
        split = data.Split(splitName);
        this.device = device;
        var lengths = split.Lengths(0);
        for (var i = 0; i < lengths.Length; i++)
        {
            if (bos is not null) lengths[i] += 1;
            if (truncateTo is { } cap) lengths[i] = Math.Min(lengths[i], cap);
        }
        Batcher = new TokenBudgetBatcher(lengths, null, options, $"the {splitName} split");
    }

    /// <summary>The planner (Count, Skipped oversized examples).</summary>
    public TokenBudgetBatcher Batcher { get; }

    protected override IReadOnlyList<long[]> PlanEpoch(long epoch) => Batcher.Plan(epoch);

    protected override ClassificationBatch Build(long[] examples, DataCursor at, DataCursor next)
    {
        var extra = bos is null ? 0 : 1;
        var spans = examples.Select(e => split.Segment(e, 0)).ToArray();
        int Length(int r) => (int)Math.Min(spans[r].End - spans[r].Start, (truncateTo ?? int.MaxValue) - (long)extra);
        var rows = new PaddedRows(examples.Length, Enumerable.Range(0, examples.Length).Max(Length) + extra, pad);
        var labels = new long[examples.Length];
        long tokens = 0;
        for (var r = 0; r < examples.Length; r++)
        {
            var length = Length(r);
            var row = rows.Row(r, length + extra);
            if (bos is { } b) row[0] = b;
            split.ReadTokens(spans[r].Start, row[extra..]);
            labels[r] = split.Label(examples[r]);
            tokens += length + extra;
        }
        return new ClassificationBatch
        {
            Examples = examples,
            At = at,
            Next = next,
            Tokens = rows.Ids(device),
            Padding = rows.Padding(device),
            Labels = tensor(labels, new long[] { examples.Length }, device: device),   // (B)
            RealTokens = tokens,
        };
    }
}
