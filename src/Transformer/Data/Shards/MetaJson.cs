// Reads and writes meta.json (snake_case keys, indented, UTF-8 without BOM).
using System.Text.Json;

namespace Transformer.Data.Shards;

public static class MetaJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        IndentSize = 2,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write(string path, DatasetMeta meta) => File.WriteAllText(path, Serialize(meta) + "\n");

    /// <summary>The meta.json at <paramref name="path"/>; a DataFormatException when it is unreadable or not this format.</summary>
    public static DatasetMeta Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "no such file", "the meta.json of a prepared dataset (run prepare first)");
        var text = File.ReadAllText(path);
        try
        {
            using (var document = JsonDocument.Parse(text))
            {
                var version = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format_version", out var v)
                    && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : (int?)null;
                if (version != DatasetMeta.CurrentFormatVersion)
                    throw new DataFormatException(path, $"format_version {version?.ToString() ?? "(missing)"}",
                        $"format_version {DatasetMeta.CurrentFormatVersion}; prepare the data again with this version");
            }
            return JsonSerializer.Deserialize<DatasetMeta>(text, Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"unreadable meta.json ({ErrorText.Json(e)})", "the meta.json written by prepare");
        }
        catch (InvalidOperationException e)   // a value of another JSON type, or an escape making a lone surrogate
        {
            throw new DataFormatException(path, $"unreadable meta.json ({ErrorText.OneLine(e.Message)})", "the meta.json written by prepare");
        }
    }
}
