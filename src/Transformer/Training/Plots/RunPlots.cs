// Learning curves of a run from its metrics.jsonl: loss (train and valid) against steps or training time,
// and one chart per other validation metric, written as SVG files.
using System.Text.Json;

namespace Transformer.Training.Plots;

public enum PlotAxis
{
    /// <summary>Optimizer steps.</summary>
    Step,
    /// <summary>Training time in minutes (each record's elapsed_s; records without it are left out).</summary>
    Time,
}

public static class RunPlots
{
    /// <summary>Writes loss.svg and valid_METRIC.svg into <paramref name="outputDirectory"/>; returns the files.</summary>
    public static IReadOnlyList<string> Write(string metricsPath, string outputDirectory, string title, PlotAxis axis = PlotAxis.Step)
    {
        var train = new List<(double, double)>();
        var valid = new Dictionary<string, List<(double, double)>>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(metricsPath))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            JsonElement e;
            try
            {
                e = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{metricsPath}:{lineNumber}: not a JSON object ({ex.Message})");
            }
            var kind = e.GetProperty("kind").GetString();
            double step;
            if (axis == PlotAxis.Step) step = e.GetProperty("step").GetDouble();
            else if (e.TryGetProperty("elapsed_s", out var elapsed) && elapsed.ValueKind == JsonValueKind.Number) step = elapsed.GetDouble() / 60;
            else continue;
            foreach (var p in e.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || p.Name is "step" or "elapsed_s") continue;
                if (kind == "train" && p.Name == "loss") train.Add((step, p.Value.GetDouble()));
                else if (kind == "valid")
                {
                    if (!valid.TryGetValue(p.Name, out var list)) valid[p.Name] = list = new();
                    list.Add((step, p.Value.GetDouble()));
                }
            }
        }
        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        var lossSeries = new List<ChartSeries>();
        if (train.Count > 0) lossSeries.Add(new ChartSeries("train loss", train, "#1f77b4"));
        if (valid.TryGetValue("valid_loss", out var validLoss)) lossSeries.Add(new ChartSeries("valid loss", validLoss, "#d62728"));
        var (xLabel, suffix) = axis == PlotAxis.Step ? ("step", "") : ("training time (minutes)", "_time");
        if (lossSeries.Count > 0) written.Add(Save(outputDirectory, $"loss{suffix}.svg", SvgLineChart.Render($"{title}: loss", xLabel, "loss", lossSeries)));
        foreach (var (name, points) in valid.Where(kv => kv.Key != "valid_loss"))
            written.Add(Save(outputDirectory, $"{name}{suffix}.svg", SvgLineChart.Render($"{title}: {name}", xLabel, name, [new ChartSeries(name, points, "#2ca02c")])));
        return written;
    }

    private static string Save(string directory, string name, string svg)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, svg);
        return path;
    }
}
