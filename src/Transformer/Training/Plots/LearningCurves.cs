// The learning-curve charts of one or several runs: loss (train a plain line, valid with a marker per evaluation), learning rate and one
// chart per validation metric, against steps or training time; several runs overlaid, one color each.
namespace Transformer.Training.Plots;

public enum PlotAxis
{
    /// <summary>Optimizer steps.</summary>
    Step,
    /// <summary>Training time in minutes (each record's elapsed_s; records without it are left out).</summary>
    Time,
}

[Flags]
public enum PlotFormats
{
    Png = 1,
    Svg = 2,
    Both = Png | Svg,
}

public static class LearningCurves
{
    // Category10 (matplotlib's default cycle): run i gets color i.
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The charts of <paramref name="runs"/>, overlaid: "loss", "lr", then each validation metric by name;
    /// a chart none of the runs has a point for is left out.</summary>
    public static IReadOnlyList<CurveChart> Charts(IReadOnlyList<RunCurves> runs, PlotAxis axis = PlotAxis.Step)
    {
        if (runs.Count == 0) throw new ArgumentException("no runs to plot", nameof(runs));
        var (xLabel, suffix) = axis == PlotAxis.Step ? ("step", "") : ("training time (minutes)", "_time");
        var several = runs.Count > 1;
        string Title(string what) => several ? what : $"{runs[0].Name}: {what}";
        var charts = new List<CurveChart>();
        void Add(string stem, string title, string yLabel, IEnumerable<ChartSeries> series)
        {
            var drawn = series.Where(s => s.Points.Count > 0).ToList();
            if (drawn.Count > 0) charts.Add(new CurveChart(stem + suffix, title, xLabel, yLabel, drawn));
        }

        Add("loss", Title("loss"), "loss", runs.SelectMany((run, i) => new[]
        {
            Series(run.Train, "loss", axis, several ? $"{run.Name} train" : "train", Palette[i % Palette.Length], marked: false),
            Series(run.Valid, "valid_loss", axis, several ? $"{run.Name} valid" : "valid", Palette[i % Palette.Length], marked: true),
        }));
        Add("lr", Title("learning rate"), "learning rate",
            runs.Select((run, i) => Series(run.Train, "lr", axis, several ? run.Name : null, Palette[i % Palette.Length], marked: false)));
        var metrics = runs.SelectMany(r => r.Valid.Keys).Where(m => m != "valid_loss").Distinct().Order(StringComparer.Ordinal);
        foreach (var metric in metrics)
            Add(metric, Title(metric), metric,
                runs.Select((run, i) => Series(run.Valid, metric, axis, several ? run.Name : null, Palette[i % Palette.Length], marked: false)));
        return charts;
    }

    /// <summary>Writes each chart of <see cref="Charts"/> as STEM.png and/or STEM.svg into
    /// <paramref name="outputDirectory"/> (created if missing); returns the files written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RunCurves> runs, string outputDirectory,
        PlotAxis axis = PlotAxis.Step, PlotFormats formats = PlotFormats.Both)
    {
        var charts = Charts(runs, axis);
        CurveChart.CheckRenderer();                                    // before the directory: no empty plots/ left behind
        try
        {
            Directory.CreateDirectory(outputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw EnvironmentException.FileSystem(outputDirectory, "create the plot directory", e);
        }
        var written = new List<string>();
        foreach (var chart in charts)
        {
            if (formats.HasFlag(PlotFormats.Png)) written.Add(Save(outputDirectory, chart.FileStem + ".png", path => File.WriteAllBytes(path, chart.Png())));
            if (formats.HasFlag(PlotFormats.Svg)) written.Add(Save(outputDirectory, chart.FileStem + ".svg", path => File.WriteAllText(path, chart.Svg())));
        }
        return written;
    }

    /// <summary>Run names for legends: each run's own name, or — when two runs share one (the same experiment
    /// with other overrides) — the labels given (their directories, say), so the legend tells them apart.</summary>
    public static IReadOnlyList<string> DistinctNames(IReadOnlyList<string> names, IReadOnlyList<string> fallbacks) =>
        names.Distinct(StringComparer.Ordinal).Count() == names.Count ? names : fallbacks;

    private static ChartSeries Series(IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> curves, string metric, PlotAxis axis,
        string? name, string color, bool marked)
    {
        var points = curves.TryGetValue(metric, out var logged)
            ? logged.Where(p => axis == PlotAxis.Step || p.ElapsedSeconds is not null)
                .Select(p => (X: axis == PlotAxis.Step ? (double)p.Step : p.ElapsedSeconds!.Value / 60, Y: p.Value)).ToList()
            : [];
        return new ChartSeries(name, points, color, marked);
    }

    private static string Save(string directory, string name, Action<string> write)
    {
        var path = Path.Combine(directory, name);
        try
        {
            write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw EnvironmentException.FileSystem(path, "write the chart", e);
        }
        return path;
    }
}
