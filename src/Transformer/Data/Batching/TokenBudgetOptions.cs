// Token-budget batching for seq2seq and classification. Validate() names the offending key (YAML spelling).
namespace Transformer.Data.Batching;

public sealed record TokenBudgetOptions
{
    /// <summary>Most padded tokens per batch: rows × (longest source + longest target), target counted 0 for
    /// classification; lengths include the BOS/EOS the batch adds. Default 4096.</summary>
    public int MaxTokens { get; init; } = 4096;
    /// <summary>Most rows per batch; 0 for no limit other than MaxTokens. Default 0.</summary>
    public int MaxRows { get; init; }
    /// <summary>Longest accepted sequence (source or target, with BOS/EOS), e.g. the model's max_positions; 0 for no
    /// limit. Longer examples are oversized. Default 0.</summary>
    public int MaxLength { get; init; }
    /// <summary>Examples shuffled together and then sorted by length before batching: larger means less padding,
    /// smaller means more randomness between epochs. Default 10,000.</summary>
    public int ShuffleChunk { get; init; } = 10_000;
    /// <summary>Error (the default) or skip examples that do not fit alone.</summary>
    public OversizedPolicy Oversized { get; init; } = OversizedPolicy.Error;
    /// <summary>Seed of the per-epoch order. Default 0.</summary>
    public long Seed { get; init; }

    public void Validate()
    {
        if (MaxTokens <= 0) throw new ConfigException("data.max_tokens", MaxTokens, "a positive number of tokens per batch");
        if (MaxRows < 0) throw new ConfigException("data.max_rows", MaxRows, "0 (no limit) or a positive number of rows");
        if (MaxLength < 0) throw new ConfigException("data.max_length", MaxLength, "0 (no limit) or a positive length");
        if (ShuffleChunk <= 0) throw new ConfigException("data.shuffle_chunk", ShuffleChunk, "a positive number of examples");
    }
}
