// Masked-language-model batches of a text split: the split's token stream (documents in order, each followed by EOS,
// as prepared for language models) cut into WindowBatcher windows; each row is [BOS] + a window when the vocabulary
// has a BOS (the position a classifier fine-tuned from the model pools first), so rows are the model's max_positions
// long. Masking is applied as the batch is built, from draws keyed by (seed, the batch's cursor, row): a resumed run
// masks exactly as an uninterrupted one, and an evaluation stream (read from epoch 0) masks the same way every time.
// Evaluation windows (WindowOptions.Stride) overlap only at the end of the stream; there a window chooses only among
// the tokens its predecessor did not cover, so every token of the split is a candidate exactly once.
using Transformer.Data.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed class MaskedLanguageModelBatchStream : BatchStream<MaskedLanguageModelBatch>
{
    private readonly PreparedSplit split;
    private readonly int blockSize;
    private readonly long? bos;
    private readonly MlmMasking masking;
    private readonly Device? device;

    /// <param name="options">Windows of BlockSize stream tokens (a row is one longer with BOS).</param>
    /// <param name="prependBos">Start every row with the vocabulary's BOS, when it has one.</param>
    public MaskedLanguageModelBatchStream(PreparedDataset data, string splitName, WindowOptions options, MlmMasking masking,
        bool prependBos = true, Device? device = null)
    {
        StreamRequirements.Kind(data, DatasetKind.LanguageModel);
        split = data.Split(splitName);
        blockSize = options.BlockSize;
        bos = prependBos ? data.Meta.BosId : null;
        this.masking = masking;
        this.device = device;
        Batcher = new WindowBatcher(split.TokenCount, options, $"the {splitName} split");
    }

    public WindowBatcher Batcher { get; }

    /// <summary>Tokens per row: the block, and BOS when it is prepended.</summary>
    public int RowLength => blockSize + (bos is null ? 0 : 1);

    protected override IReadOnlyList<long[]> PlanEpoch(long epoch) => Batcher.Plan(epoch);

    protected override MaskedLanguageModelBatch Build(long[] windows, DataCursor at, DataCursor next)
    {
        var rows = windows.Length;
        var width = RowLength;
        var extra = width - blockSize;
        var input = new long[rows * width];
        var labels = new long[rows * width];
        var window = new long[blockSize + 1];                                         // the batcher's windows read T + 1
        long chosen = 0;
        for (var r = 0; r < rows; r++)
        {
            split.ReadTokens(Batcher.Start(windows[r], at.Epoch), window);
            var row = input.AsSpan(r * width, width);
            if (bos is { } b) row[0] = b;
            window.AsSpan(0, blockSize).CopyTo(row[extra..]);
            chosen += masking.Apply(row, labels.AsSpan(r * width, width), masking.Random(at, r), extra + Batcher.FirstScored(windows[r]));
        }
        return new MaskedLanguageModelBatch
        {
            Examples = windows,
            At = at,
            Next = next,
            Input = tensor(input, new long[] { rows, width }, device: device),         // (B, T)
            Labels = tensor(labels, new long[] { rows, width }, device: device),       // (B, T)
            Chosen = chosen,
            RealTokens = (long)rows * width,
        };
    }
}
