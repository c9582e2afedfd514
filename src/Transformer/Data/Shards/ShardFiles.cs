// Names of a split's shard files and their roles in meta.json.
namespace Transformer.Data.Shards;

public static class ShardFiles
{
    public const string MetaFile = "meta.json";
    public const string Tokens = "tokens";
    public const string Offsets = "offsets";
    public const string Labels = "labels";

    /// <summary>"train.tokens.bin", "valid.offsets.bin", …</summary>
    public static string Name(string split, string role) => $"{split}.{role}.bin";
}
