// Contiguous-window batches of a language-model split: the split's token stream is the documents in order,
// each followed by EOS when the vocabulary has one (written so at prepare time), cut into WindowBatcher windows.
using Transformer.Data.Shards;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

public sealed class LanguageModelBatchStream : BatchStream<LanguageModelBatch>
{
    private readonly PreparedSplit split;
    private readonly int blockSize;
    private readonly Device? device;
    private readonly long ignoreIndex;

    /// <param name="ignoreIndex">Target id of positions a strided evaluation window does not score (the loss's
    /// ignore_index: the model's pad index).</param>
    public LanguageModelBatchStream(PreparedDataset data, string splitName, WindowOptions options, Device? device = null, long ignoreIndex = 0)
    {
        StreamRequirements.Kind(data, DatasetKind.LanguageModel);
        split = data.Split(splitName);
        blockSize = options.BlockSize;
        this.device = device;
        this.ignoreIndex = ignoreIndex;
        Batcher = new WindowBatcher(split.TokenCount, options, $"the {splitName} split");
    }

    public WindowBatcher Batcher { get; }

    protected override IReadOnlyList<long[]> PlanEpoch(long epoch) => Batcher.Plan(epoch);

    protected override LanguageModelBatch Build(long[] windows, DataCursor at, DataCursor next)
    {
        var rows = windows.Length;
        var input = new long[rows * blockSize];
        var target = new long[rows * blockSize];
        var window = new long[blockSize + 1];
        long scored = 0;
        for (var r = 0; r < rows; r++)
        {
            split.ReadTokens(Batcher.Start(windows[r], at.Epoch), window);
            window.AsSpan(0, blockSize).CopyTo(input.AsSpan(r * blockSize));
            window.AsSpan(1, blockSize).CopyTo(target.AsSpan(r * blockSize));
            var first = Batcher.FirstScored(windows[r]);
            target.AsSpan(r * blockSize, first).Fill(ignoreIndex);                 // scored by the previous window
            scored += blockSize - first;
        }
        return new LanguageModelBatch
        {
            Examples = windows,
            At = at,
            Next = next,
            Input = tensor(input, new long[] { rows, blockSize }, device: device),     // (B, T)
            Target = tensor(target, new long[] { rows, blockSize }, device: device),   // (B, T)
            RealTokens = scored,
        };
    }
}
