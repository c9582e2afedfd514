// Language-model batching: windows of the token stream. Validate() names the offending key.
namespace Transformer.Data.Batching;

public sealed record WindowOptions
{
    /// <summary>Tokens per row (T); each window reads T + 1 tokens for the shifted target. Default 256.</summary>
    public int BlockSize { get; init; } = 256;
    /// <summary>Windows per batch (B). Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Drop each epoch's last, smaller batch. Default false (every window is used every epoch).</summary>
    public bool DropLast { get; init; }
    /// <summary>Seed of the per-epoch order (and offset). Default 0.</summary>
    public long Seed { get; init; }
    /// <summary>Training: start each epoch's windows at an offset in [0, T) drawn from (seed, epoch), so every epoch
    /// cuts the stream at other places. Default false (windows at multiples of T).</summary>
    public bool RandomOffset { get; init; }
    /// <summary>Evaluation: score every target of the stream exactly once, in windows that start every Stride tokens
    /// (in order, not shuffled); a window scores only the targets its predecessor did not, so each has at least
    /// T − Stride tokens of context (except in the first window). Null for training windows. Default null.</summary>
    public int? Stride { get; init; }

    public void Validate()
    {
        if (BlockSize <= 0) throw new ConfigException("data.block_size", BlockSize, "a positive number of tokens");
        if (BatchSize <= 0) throw new ConfigException("data.batch_size", BatchSize, "a positive number of windows");
        if (Stride is { } s && (s <= 0 || s > BlockSize))
            throw new ConfigException("data.eval_stride", s, $"a number of tokens in [1, block size {BlockSize}]");
        if (Stride is not null && RandomOffset) throw new ArgumentException("evaluation windows (Stride) have no random offset");
    }
}
