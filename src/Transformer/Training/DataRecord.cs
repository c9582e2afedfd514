// data.json of a run: what it trains on — the tokenizer's hash and the SHA-256 of every source file —
// written when the run starts. A resume compares the data it would read now against it, so a changed file
// is named instead of being trained on in silence.
using System.Text.Json;
using System.Text.Json.Serialization;
using Transformer.Data;
using Transformer.Data.Shards;

namespace Transformer.Training;

public sealed record DataRecord
{
    public const string FileName = "data.json";

    [JsonPropertyName("tokenizer_sha256")] public required string TokenizerSha256 { get; init; }
    [JsonPropertyName("sources")] public required IReadOnlyList<Source> Sources { get; init; }

    public sealed record Source(
        [property: JsonPropertyName("split")] string Split,
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("sha256")] string Sha256);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static DataRecord Of(DatasetMeta meta) => new()
    {
        TokenizerSha256 = meta.TokenizerHash,
        Sources = meta.Sources.Select(s => new Source(s.Split, s.Path, s.Sha256)).ToList(),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The record of a run, or null when the run has none (built-in data, or runs from before data.json).</summary>
    public static DataRecord? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var record = JsonSerializer.Deserialize<DataRecord>(File.ReadAllBytes(path));
            if (record is null || record.TokenizerSha256 is null || record.Sources is null || record.Sources.Any(s => s?.Path is null || s.Sha256 is null))
                throw new DataFormatException(path, "incomplete data record", "tokenizer_sha256 and sources [{split, path, sha256}]");
            return record;
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not a data record ({ErrorText.Json(e)})", "the JSON object a run writes when it starts");
        }
    }

    /// <summary>What differs from <paramref name="now"/>, one phrase per file, naming the file; empty when nothing does.</summary>
    public IReadOnlyList<string> Differences(DataRecord now, string tokenizerFile)
    {
        var differences = new List<string>();
        if (TokenizerSha256 != now.TokenizerSha256)
            differences.Add($"{tokenizerFile} changed (sha256 {Short(TokenizerSha256)} → {Short(now.TokenizerSha256)})");
        foreach (var source in now.Sources)
        {
            var before = Sources.FirstOrDefault(s => s.Split == source.Split && s.Path == source.Path);
            if (before is null) differences.Add($"{source.Path} ({source.Split}) was not part of the run");
            else if (before.Sha256 != source.Sha256)
                differences.Add($"{source.Path} changed (sha256 {Short(before.Sha256)} → {Short(source.Sha256)})");
        }
        foreach (var source in Sources)
            if (!now.Sources.Any(s => s.Split == source.Split && s.Path == source.Path))
                differences.Add($"{source.Path} ({source.Split}) is no longer part of the run");
        return differences;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
