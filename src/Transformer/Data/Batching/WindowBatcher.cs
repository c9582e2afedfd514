// Plans language-model batches over a token stream of N tokens: window k is the tokens [k·T, k·T + T + 1)
// (input = the first T, target = the last T), for k < ⌊(N − 1) / T⌋, so windows do not overlap except for the
// one token a target shares with the next input. Each epoch shuffles the windows by (seed, epoch) and groups
// them B at a time. The at most T tokens after the last whole window are not used.
namespace Transformer.Data.Batching;

public sealed class WindowBatcher
{
    private readonly WindowOptions options;

    public WindowBatcher(long streamTokens, WindowOptions options, string name = "the data")
    {
        options.Validate();
        this.options = options;
        var windows = (streamTokens - 1) / options.BlockSize;
        if (windows <= 0)
            throw new DataFormatException(name, $"{streamTokens} tokens", $"at least block_size + 1 = {options.BlockSize + 1} tokens for one window");
        if (windows > Array.MaxLength) throw new NotSupportedException($"{windows} windows are more than one epoch can shuffle");
        if (options.DropLast && windows < options.BatchSize)
            throw new DataFormatException(name, $"{windows} window(s) of {options.BlockSize} tokens", $"at least batch_size = {options.BatchSize} windows when drop_last is set");
        Windows = (int)windows;
    }

    /// <summary>Windows in every epoch.</summary>
    public int Windows { get; }

    /// <summary>First token of window <paramref name="window"/>; the window reads BlockSize + 1 tokens from there.</summary>
    public long Start(long window) => window * options.BlockSize;

    /// <summary>The batches of <paramref name="epoch"/>, each the window indices of its rows.</summary>
    public IReadOnlyList<long[]> Plan(long epoch)
    {
        var order = new int[Windows];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        SplitMix64.For(options.Seed, epoch).Shuffle<int>(order);
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
