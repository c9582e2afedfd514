// One split (train, valid or test) as meta.json records it.
namespace Transformer.Data.Shards;

public sealed record SplitMeta
{
    public required long Examples { get; init; }
    /// <summary>Tokens stored (all segments; for language models including the EOS after each document).</summary>
    public required long Tokens { get; init; }
    /// <summary>The longest segment, in tokens (for seq2seq: source and target taken separately).</summary>
    public required int MaxLength { get; init; }
    public required IReadOnlyList<ShardFileMeta> Files { get; init; }

    public ShardFileMeta File(string role) =>
        Files.FirstOrDefault(f => f.Role == role) ?? throw new KeyNotFoundException($"the split has no '{role}' file");
}
