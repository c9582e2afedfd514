// One run's learning curves as read back from its metrics.jsonl (MetricsLog): every numeric value of the
// train and valid records, keyed by name, with the step and the training time at which it was logged.
using System.Text.Json;
using Transformer.Data;

namespace Transformer.Training.Plots;

/// <summary>One logged value: at optimizer step <paramref name="Step"/>, after <paramref name="ElapsedSeconds"/> of
/// training (null when the record has no elapsed_s).</summary>
public readonly record struct CurvePoint(long Step, double? ElapsedSeconds, double Value);

/// <summary>The curves of one run. <see cref="Train"/> holds the train records' values ("loss", "lr", …),
/// <see cref="Valid"/> the valid records' ("valid_loss", "valid_token_accuracy", …); non-finite values
/// (logged as strings) are left out.</summary>
public sealed record RunCurves(
    string Name,
    IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Train,
    IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Valid)
{
    public const string MetricsFile = MetricsLog.FileName;

    /// <summary>Reads a metrics.jsonl; <paramref name="name"/> labels the run in titles and legends.</summary>
    /// <exception cref="DataFormatException">A line that is not a record (names file:line), or no records at all.</exception>
    public static RunCurves Load(string metricsPath, string name)
    {
        var train = new Dictionary<string, List<CurvePoint>>(StringComparer.Ordinal);
        var valid = new Dictionary<string, List<CurvePoint>>(StringComparer.Ordinal);
        var lineNumber = 0;
        var records = 0;
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(metricsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw EnvironmentException.FileSystem(metricsPath, "read the metrics log", e);
        }
        foreach (var line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var (kind, step, elapsed, values) = ParseRecord(line, $"{metricsPath}:{lineNumber}");
            var target = kind switch { "train" => train, "valid" => valid, _ => null };
            if (target is null) continue;                          // a kind this version does not plot
            records++;
            foreach (var (metric, value) in values)
            {
                if (!target.TryGetValue(metric, out var points)) target[metric] = points = [];
                points.Add(new CurvePoint(step, elapsed, value));
            }
        }
        if (records == 0)
            throw new DataFormatException(metricsPath, "no train or valid records", "what a training run logs (nothing logged yet?)");
        return new RunCurves(name, Freeze(train), Freeze(valid));
    }

    private static (string kind, long step, double? elapsed, List<(string, double)> values) ParseRecord(string line, string location)
    {
        const string expected = """one JSON object per line such as {"step":10,"kind":"train","loss":2.3}""";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(location, $"not JSON ({e.Message})", expected);
        }
        using (document)
        {
            var record = document.RootElement;
            if (record.ValueKind != JsonValueKind.Object) throw new DataFormatException(location, $"a JSON {record.ValueKind}", expected);
            if (!record.TryGetProperty("step", out var stepValue) || !stepValue.TryGetInt64(out var step))
                throw new DataFormatException(location, "no integer \"step\"", expected);
            if (!record.TryGetProperty("kind", out var kindValue) || kindValue.ValueKind != JsonValueKind.String)
                throw new DataFormatException(location, "no string \"kind\"", expected);
            double? elapsed = record.TryGetProperty("elapsed_s", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
            var values = new List<(string, double)>();
            foreach (var property in record.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.Number && property.Name is not ("step" or "elapsed_s")
                    && double.IsFinite(property.Value.GetDouble()))
                    values.Add((property.Name, property.Value.GetDouble()));
            return (kindValue.GetString()!, step, elapsed, values);
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Freeze(Dictionary<string, List<CurvePoint>> curves) =>
        curves.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<CurvePoint>)kv.Value, StringComparer.Ordinal);
}
