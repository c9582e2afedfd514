// stamp.json next to a conversion's outputs: what it was made from (converter, version, options, seed,
// every input file's name, size and SHA-256, digested into one hash), what it made (every output's size) and the report. A
// conversion whose stamp matches does nothing.
using System.Security.Cryptography;
using System.Text.Json;

namespace Transformer.Data.Corpora;

internal sealed record CorpusStamp
{
    public const string FileName = "stamp.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false };

    /// <summary>Everything the outputs depend on (compared in its compact form).</summary>
    public JsonElement Key { get; init; }

    public Dictionary<string, long> Outputs { get; init; } = [];

    public CorpusReport? Report { get; init; }

    /// <summary>The key of converting <paramref name="rawDir"/> with <paramref name="converter"/> and
    /// <paramref name="seed"/> now: hashes every input file.</summary>
    public static string KeyOf(ICorpusConverter converter, string rawDir, int seed)
    {
        var root = RawPackage.Resolve(rawDir);
        var files = converter.InputFiles(rawDir);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        foreach (var file in files)
        {
            using var stream = File.OpenRead(Path.Combine(root, file));
            bytes += stream.Length;
            digest.AppendData(System.Text.Encoding.UTF8.GetBytes($"{file}\n{stream.Length}\n"));
            digest.AppendData(SHA256.HashData(stream));
        }
        return JsonSerializer.Serialize(new
        {
            corpus = converter.Name,
            version = converter.Version,
            options = JsonSerializer.SerializeToElement(converter.Options, converter.Options.GetType(), Compact),
            seed,
            inputFiles = files.Count,
            inputBytes = bytes,
            inputsSha256 = System.Convert.ToHexStringLower(digest.GetHashAndReset()), // over every file's name, size and SHA-256
        }, Compact);
    }

    /// <summary>The stamp in <paramref name="outDir"/> when it has <paramref name="key"/> and every output
    /// it lists is there with its recorded size; otherwise null.</summary>
    public static CorpusStamp? Current(string outDir, string key)
    {
        var path = Path.Combine(outDir, FileName);
        if (!File.Exists(path)) return null;
        CorpusStamp? stamp;
        try { stamp = JsonSerializer.Deserialize<CorpusStamp>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // unreadable or from another version: convert again
        if (stamp is null || stamp.Report is null || stamp.Outputs.Count == 0) return null;
        if (stamp.Key.ValueKind != JsonValueKind.Object || JsonSerializer.Serialize(stamp.Key, Compact) != key) return null;
        foreach (var (file, size) in stamp.Outputs)
        {
            var info = new FileInfo(Path.Combine(outDir, file));
            if (!info.Exists || info.Length != size) return null;
        }
        return stamp;
    }

    public static void Delete(string outDir) => File.Delete(Path.Combine(outDir, FileName));

    public static void Write(string outDir, string key, IEnumerable<string> outputs, CorpusReport report)
    {
        using var document = JsonDocument.Parse(key);
        var stamp = new CorpusStamp
        {
            Key = document.RootElement.Clone(),
            Outputs = outputs.ToDictionary(f => f, f => new FileInfo(Path.Combine(outDir, f)).Length),
            Report = report,
        };
        CorpusText.WriteLines(Path.Combine(outDir, FileName), JsonSerializer.Serialize(stamp, Json).Split('\n'));
    }
}
