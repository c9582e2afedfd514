// The settings of a BPE model besides its vocabulary and merges (Hugging Face's BPE fields).
namespace Transformer.Text;

internal sealed record BpeOptions
{
    public string? UnkToken { get; init; }
    public string? ContinuingSubwordPrefix { get; init; }
    public string? EndOfWordSuffix { get; init; }
    public bool FuseUnk { get; init; }
    public bool ByteFallback { get; init; }
    public bool IgnoreMerges { get; init; }

    /// <summary>Write merges as ["a", "b"] arrays instead of "a b" strings.</summary>
    public bool MergesAsArrays { get; init; }

    /// <summary>Words cached by the encoder (0: no cache).</summary>
    public int CacheCapacity { get; init; } = 100_000;
}
