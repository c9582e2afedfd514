// Checks a batch stream makes of the dataset it is given, with messages naming meta.json.
using Transformer.Data.Shards;

namespace Transformer.Data.Batching;

internal static class StreamRequirements
{
    public static void Kind(PreparedDataset data, DatasetKind kind)
    {
        if (data.Meta.Kind != kind)
            throw new DataFormatException(MetaPath(data), $"kind {data.Meta.Kind}", $"a {kind} dataset for this batch stream");
    }

    public static long Id(PreparedDataset data, int? id, string key, string why) =>
        id ?? throw new DataFormatException(MetaPath(data), $"{key} (none)", $"a token id {why}: the tokenizer must define it");

    private static string MetaPath(PreparedDataset data) => Path.Combine(data.Directory, ShardFiles.MetaFile);
}
