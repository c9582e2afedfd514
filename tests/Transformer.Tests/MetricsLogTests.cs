// metrics.jsonl: one JSON object per line, readable by any JSON-lines reader (no byte-order mark, even
// after a resume rewrote it), and a resume drops exactly the records after its checkpoint's step.
using System.Text.Json;
using Transformer.Training;

namespace Transformer.Tests;

public sealed class MetricsLogTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("metrics-log-").FullName;
    private string LogPath => Path.Combine(dir, "metrics.jsonl");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static long[] Steps(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64()).ToArray();

    [Fact]
    public void Each_record_is_one_json_line_with_step_kind_and_values()
    {
        var log = new MetricsLog(LogPath);
        log.Append(100, "train", new Dictionary<string, double> { ["loss"] = 2.5, ["lr"] = 1e-3 });
        log.Append(200, "valid", new Dictionary<string, double> { ["valid_loss"] = double.NaN });

        var lines = File.ReadAllLines(LogPath);
        Assert.Equal(2, lines.Length);
        Assert.Equal("""{"step":100,"kind":"train","loss":2.5,"lr":0.001}""", lines[0]);
        Assert.Equal("""{"step":200,"kind":"valid","valid_loss":"NaN"}""", lines[1]); // JSON has no NaN: a string
    }

    [Fact]
    public void Truncating_keeps_records_up_to_the_step_drops_later_and_torn_ones_and_writes_no_byte_order_mark()
    {
        var log = new MetricsLog(LogPath);
        foreach (var step in new long[] { 100, 200, 300, 400 })
            log.Append(step, "train", new Dictionary<string, double> { ["loss"] = step });
        File.AppendAllText(LogPath, """{"step":500,"kind":"tr""");               // a line cut off by a kill

        log.TruncateAfter(300);

        Assert.Equal(new long[] { 100, 200, 300 }, Steps(LogPath));
        Assert.Equal((byte)'{', File.ReadAllBytes(LogPath)[0]);                  // Python's json.loads rejects a BOM
        log.Append(400, "train", new Dictionary<string, double> { ["loss"] = 1 });
        Assert.Equal(new long[] { 100, 200, 300, 400 }, Steps(LogPath));
    }

    [Fact]
    public void Truncating_a_log_that_does_not_exist_creates_nothing()
    {
        new MetricsLog(LogPath).TruncateAfter(10);
        Assert.False(File.Exists(LogPath));
    }
}
