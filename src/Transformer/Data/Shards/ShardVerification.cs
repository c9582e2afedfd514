// How much PreparedDataset.Open checks before training reads the shards.
namespace Transformer.Data.Shards;

public enum ShardVerification
{
    /// <summary>Every file present with the size meta.json records, sizes consistent with the counts, the offsets
    /// index starting at 0 and ending at the token count. Cheap; always done. The default.</summary>
    Sizes,
    /// <summary>Sizes, plus every file's SHA-256, offsets non-decreasing, token ids below the vocabulary size and
    /// label ids inside the label set. Reads every byte once.</summary>
    Full,
}
