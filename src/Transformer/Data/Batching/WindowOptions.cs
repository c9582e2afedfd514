// Language-model batching: contiguous windows of the token stream. Validate() names the offending key.
namespace Transformer.Data.Batching;

public sealed record WindowOptions
{
    /// <summary>Tokens per row (T); each window reads T + 1 tokens for the shifted target. Default 256.</summary>
    public int BlockSize { get; init; } = 256;
    /// <summary>Windows per batch (B). Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Drop each epoch's last, smaller batch. Default false (every window is used every epoch).</summary>
    public bool DropLast { get; init; }
    /// <summary>Seed of the per-epoch order. Default 0.</summary>
    public long Seed { get; init; }

    public void Validate()
    {
        if (BlockSize <= 0) throw new ConfigException("data.block_size", BlockSize, "a positive number of tokens");
        if (BatchSize <= 0) throw new ConfigException("data.batch_size", BatchSize, "a positive number of windows");
    }
}
