// The prepare options that decide the output, as recorded in meta.json and hashed into its fingerprint
// (paths, parallelism and chunk sizes are left out: they do not change the shards).
using Transformer.Data.Sources;

namespace Transformer.Data;

public sealed record PrepareSettings
{
    public required SourceOptions Source { get; init; }
    /// <summary>True when valid/test files were given; false when the train files were split by fractions.</summary>
    public required bool PreSplit { get; init; }
    public required double ValidFraction { get; init; }
    public required double TestFraction { get; init; }
    public required long SplitSeed { get; init; }
}
