// One shard file as meta.json records it: its role (tokens, offsets, labels), name, size and SHA-256.
namespace Transformer.Data.Shards;

public sealed record ShardFileMeta
{
    public required string Role { get; init; }
    /// <summary>File name inside the prepared directory.</summary>
    public required string File { get; init; }
    public required long Bytes { get; init; }
    /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }
}
