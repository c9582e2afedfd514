// Token-budget batches of a seq2seq split. Per example: Source = source tokens + [EOS] (unless
// appendSourceEos is false), TargetInput = [BOS] + target, TargetOutput = target + [EOS]; without a BOS id the
// decoder starts from EOS (fairseq's convention). Needs PadId and EosId in meta.json.
using Transformer.Data.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed class Seq2SeqBatchStream : BatchStream<Seq2SeqBatch>
{
    private readonly PreparedSplit split;
    private readonly long pad, start, eos;
    private readonly bool sourceEos;
    private readonly Device? device;

    public Seq2SeqBatchStream(PreparedDataset data, string splitName, TokenBudgetOptions options, bool appendSourceEos = true, Device? device = null)
    {
        StreamRequirements.Kind(data, DatasetKind.Seq2Seq);
        pad = StreamRequirements.Id(data, data.Meta.PadId, "pad_id", "to pad seq2seq batches");
        eos = StreamRequirements.Id(data, data.Meta.EosId, "eos_id", "to end seq2seq targets");
        start = data.Meta.BosId ?? eos;
        split = data.Split(splitName);
        sourceEos = appendSourceEos;
        this.device = device;
        var sources = split.Lengths(0);
        var targets = split.Lengths(1);
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] += sourceEos ? 1 : 0;
            targets[i] += 1;
        }
        Batcher = new TokenBudgetBatcher(sources, targets, options, $"the {splitName} split");
    }

    /// <summary>The planner (Count, Skipped oversized examples).</summary>
    public TokenBudgetBatcher Batcher { get; }

    protected override IReadOnlyList<long[]> PlanEpoch(long epoch) => Batcher.Plan(epoch);

    protected override Seq2SeqBatch Build(long[] examples, DataCursor at, DataCursor next)
    {
        var extra = sourceEos ? 1 : 0;
        var spans = examples.Select(e => (Source: split.Segment(e, 0), Target: split.Segment(e, 1))).ToArray();
        var sourceWidth = spans.Max(s => (int)(s.Source.End - s.Source.Start)) + extra;
        var targetWidth = spans.Max(s => (int)(s.Target.End - s.Target.Start)) + 1;
        var source = new PaddedRows(examples.Length, sourceWidth, pad);
        var input = new PaddedRows(examples.Length, targetWidth, pad);
        var output = new PaddedRows(examples.Length, targetWidth, pad);
        long sourceTokens = 0, targetTokens = 0;
        for (var r = 0; r < examples.Length; r++)
        {
            var (s, t) = spans[r];
            int sourceLength = (int)(s.End - s.Start), targetLength = (int)(t.End - t.Start);
            var row = source.Row(r, sourceLength + extra);
            split.ReadTokens(s.Start, row[..sourceLength]);
            if (sourceEos) row[sourceLength] = eos;
            var into = input.Row(r, targetLength + 1);
            into[0] = start;
            split.ReadTokens(t.Start, into[1..]);
            var expected = output.Row(r, targetLength + 1);
            into[1..].CopyTo(expected);
            expected[targetLength] = eos;
            sourceTokens += sourceLength + extra;
            targetTokens += targetLength + 1;
        }
        return new Seq2SeqBatch
        {
            Examples = examples,
            At = at,
            Next = next,
            Source = source.Ids(device),
            SourcePadding = source.Padding(device),
            TargetInput = input.Ids(device),
            TargetOutput = output.Ids(device),
            TargetPadding = output.Padding(device),
            SourceTokens = sourceTokens,
            RealTokens = targetTokens,
        };
    }
}
