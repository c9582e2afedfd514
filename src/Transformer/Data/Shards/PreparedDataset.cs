// A prepared dataset opened for training: meta.json plus each split's memory-mapped shards. Opening refuses,
// with a message naming the file and what it expected, a directory whose shards do not match meta.json or
// whose tokenizer is not the one in use.
namespace Transformer.Data.Shards;

public sealed class PreparedDataset : IDisposable
{
    private readonly Dictionary<string, PreparedSplit> splits;

    private PreparedDataset(string directory, DatasetMeta meta, Dictionary<string, PreparedSplit> splits)
    {
        Directory = directory;
        Meta = meta;
        this.splits = splits;
    }

    public string Directory { get; }
    public DatasetMeta Meta { get; }
    public IReadOnlyDictionary<string, PreparedSplit> Splits => splits;

    public PreparedSplit Split(string name) => splits.TryGetValue(name, out var split) ? split
        : throw new KeyNotFoundException($"{Directory}: no '{name}' split (it has {string.Join(", ", splits.Keys)})");

    /// <summary>Opens <paramref name="directory"/>. When <paramref name="tokenizerHash"/> is given, the data must have
    /// been prepared with that tokenizer.</summary>
    public static PreparedDataset Open(string directory, string? tokenizerHash = null, ShardVerification verification = ShardVerification.Sizes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("shards are little-endian; this machine is not");
        var metaPath = Path.Combine(directory, ShardFiles.MetaFile);
        var meta = MetaJson.Read(metaPath);
        if (tokenizerHash is not null && meta.TokenizerHash != tokenizerHash)
            throw new DataFormatException(metaPath, $"tokenizer_hash '{meta.TokenizerHash}'",
                $"the current tokenizer's hash '{tokenizerHash}' — the data was prepared with another tokenizer; prepare it again");
        ShardCheck.Meta(metaPath, meta);
        var opened = new Dictionary<string, PreparedSplit>();
        try
        {
            foreach (var (name, split) in meta.Splits)
            {
                ShardCheck.Files(directory, split, verification);
                var reader = new PreparedSplit(name, directory, split.Examples, split.Tokens, meta.TokenDtype, meta.SegmentsPerExample,
                    meta.Kind == DatasetKind.Classification);
                opened.Add(name, reader);
                ShardCheck.Contents(directory, name, reader, meta, verification);
            }
        }
        catch
        {
            foreach (var split in opened.Values) split.Dispose();
            throw;
        }
        return new PreparedDataset(directory, meta, opened);
    }

    public void Dispose()
    {
        foreach (var split in splits.Values) split.Dispose();
    }
}
