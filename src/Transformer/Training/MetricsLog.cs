// metrics.jsonl of a run: one JSON object per logged step or evaluation, appended and flushed, so a
// killed run keeps everything it logged. A resumed run drops lines beyond its checkpoint's step.
using System.Globalization;
using System.Text.Json;

namespace Transformer.Training;

public sealed class MetricsLog
{
    /// <summary>The log's name in a run directory.</summary>
    public const string FileName = "metrics.jsonl";

    private readonly string path;

    public MetricsLog(string path) => this.path = path;

    /// <summary>Appends {"step": …, "kind": "train"|"valid", name: value…}.</summary>
    public void Append(long step, string kind, IReadOnlyDictionary<string, double> values)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", step);
            json.WriteString("kind", kind);
            foreach (var (name, value) in values)
            {
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        file.Flush(flushToDisk: false);
    }

    /// <summary>Removes records logged after <paramref name="step"/> (a run resumed from that step logs them again).</summary>
    public void TruncateAfter(long step)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(line =>
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.GetProperty("step").GetInt64() <= step;
            }
            catch (JsonException)
            {
                return false;                                   // a line cut off by a kill
            }
        }).ToList();
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n"); // UTF-8 without a byte-order mark
        File.Move(temporary, path, overwrite: true);
    }
}
