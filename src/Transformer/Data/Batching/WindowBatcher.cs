// Plans language-model batches over a token stream of N tokens. Window k reads the tokens [start_k, start_k + T + 1)
// (input = the first T, target = the last T).
//  - Training: start_k = o + k·T for k < ⌊(N − 1 − o) / T⌋, so windows do not overlap except for the one token a
//    target shares with the next input; o is 0, or with RandomOffset drawn from [0, T) per (seed, epoch). Each
//    epoch shuffles the windows by (seed, epoch) and groups them B at a time; the < T + o tokens outside whole
//    windows are not used in that epoch.
//  - Evaluation (Stride S): start_k = k·S, the last window moved back to end at the stream's end, in order; window k
//    scores only the targets after those of window k − 1, so every target of the stream is scored exactly once.
namespace Transformer.Data.Batching;

public sealed class WindowBatcher
{
    private readonly WindowOptions options;
    private readonly long streamTokens;

    public WindowBatcher(long streamTokens, WindowOptions options, string name = "the data")
    {
        options.Validate();
        this.options = options;
        this.streamTokens = streamTokens;
        var windows = options.Stride is { } s
            ? (streamTokens - 1 <= options.BlockSize ? (streamTokens >= options.BlockSize + 1 ? 1 : 0) : 1 + (streamTokens - 1 - options.BlockSize + s - 1) / s)
            : (streamTokens - 1) / options.BlockSize;
        if (windows <= 0)
            throw new DataFormatException(name, $"{streamTokens} tokens", $"at least block_size + 1 = {options.BlockSize + 1} tokens for one window");
        if (windows > Array.MaxLength) throw new NotSupportedException($"{windows} windows are more than one epoch can shuffle");
        if (options.DropLast && windows < options.BatchSize)
            throw new DataFormatException(name, $"{windows} window(s) of {options.BlockSize} tokens", $"at least batch_size = {options.BatchSize} windows when drop_last is set");
        Windows = (int)windows;
    }

    /// <summary>Windows in an epoch without offset (with RandomOffset an epoch may have one fewer).</summary>
    public int Windows { get; }

    /// <summary>The offset of <paramref name="epoch"/>'s windows: 0, or drawn from [0, T) with RandomOffset.</summary>
    public long Offset(long epoch) =>
        options.RandomOffset ? (long)SplitMix64.For(options.Seed, epoch, 1).NextBelow((ulong)options.BlockSize) : 0;

    /// <summary>Windows in <paramref name="epoch"/>.</summary>
    public int WindowsIn(long epoch) => options.RandomOffset ? (int)((streamTokens - 1 - Offset(epoch)) / options.BlockSize) : Windows;

    /// <summary>First token of window <paramref name="window"/> of <paramref name="epoch"/>; the window reads
    /// BlockSize + 1 tokens from there.</summary>
    public long Start(long window, long epoch = 0)
    {
        if (options.Stride is not { } s) return Offset(epoch) + window * options.BlockSize;
        return Math.Min(window * s, streamTokens - 1 - options.BlockSize);
    }

    /// <summary>Evaluation windows: the first target position (0 ≤ p &lt; T) this window scores; 0 for training windows.</summary>
    public int FirstScored(long window)
    {
        if (options.Stride is null || window == 0) return 0;
        var previousEnd = Start(window - 1) + options.BlockSize;                       // last target scored before
        return (int)(previousEnd - Start(window));
    }

    /// <summary>The batches of <paramref name="epoch"/>, each the window indices of its rows.</summary>
    public IReadOnlyList<long[]> Plan(long epoch)
    {
        var order = new int[WindowsIn(epoch)];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        if (options.Stride is null) SplitMix64.For(options.Seed, epoch).Shuffle<int>(order);
        var batches = new List<long[]>();
        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            var n = Math.Min(options.BatchSize, order.Length - start);
            if (n < options.BatchSize && options.DropLast) break;
            batches.Add(Array.ConvertAll(order[start..(start + n)], w => (long)w));
        }
        return batches;
    }
}
