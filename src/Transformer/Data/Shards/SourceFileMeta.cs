// A source file as meta.json records it: which split it fed (train, valid, test; or train when split by
// fractions), the path as given, its size and SHA-256. The fingerprint uses the hashes, not the paths.
namespace Transformer.Data.Shards;

public sealed record SourceFileMeta
{
    public required string Split { get; init; }
    public required string Path { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }
}
