// One learning-curve chart (a title, axis labels, line series) drawn by ScottPlot 5: as PNG bytes, an SVG
// document or a PNG data URI, so the plot command writes files and an HTML report can embed the same charts.
using ScottPlot;
using SkiaSharp;

namespace Transformer.Training.Plots;

/// <summary>One line: its legend text (null: none), its points, its color and whether each point is marked
/// (validation curves are, so that train and valid of the same run share a color and still differ).</summary>
/// <remarks>Not dashes: Skia's SVG canvas drops path effects, so a dashed line would be solid in the SVG.</remarks>
public sealed record ChartSeries(string? Name, IReadOnlyList<(double X, double Y)> Points, string Color, bool Marked = false);

/// <summary>A chart; <see cref="FileStem"/> names its files (loss, lr, valid_bleu, with _time against time).</summary>
public sealed record CurveChart(string FileStem, string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series)
{
    public const int DefaultWidth = 800, DefaultHeight = 450;

    /// <summary>The chart as a PNG image.</summary>
    public byte[] Png(int width = DefaultWidth, int height = DefaultHeight)
    {
        using var plot = Build();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>The chart as an SVG document (text as &lt;text&gt; elements, lines as paths).</summary>
    public string Svg(int width = DefaultWidth, int height = DefaultHeight)
    {
        using var plot = Build();
        return plot.GetSvgXml(width, height);
    }

    /// <summary>"data:image/png;base64,…", for an &lt;img src&gt; in a self-contained HTML page.</summary>
    public string PngDataUri(int width = DefaultWidth, int height = DefaultHeight) =>
        "data:image/png;base64," + Convert.ToBase64String(Png(width, height));

    /// <summary>Checks once that SkiaSharp's native library loads and finds a font, so that a caller can fail before
    /// writing anything.</summary>
    /// <exception cref="EnvironmentException">It does not, said in one line.</exception>
    public static void CheckRenderer() => _ = Renderer.Font;

    private Plot Build()
    {
        var font = Renderer.Font;
        var plot = new Plot();
        plot.Font.Set(font);
        plot.Title(Title);
        plot.XLabel(XLabel);
        plot.YLabel(YLabel);
        foreach (var series in Series)
        {
            var line = plot.Add.ScatterLine(series.Points.Select(p => p.X).ToArray(), series.Points.Select(p => p.Y).ToArray());
            line.Color = ScottPlot.Color.FromHex(series.Color);
            line.LineWidth = series.Marked ? 1.5f : 2;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = series.Marked || series.Points.Count == 1 ? 6 : 0;
            if (series.Name is not null) line.LegendText = series.Name;
        }
        if (Series.Any(s => s.Name is not null))
        {
            var legend = plot.ShowLegend(Alignment.UpperRight);
            legend.FontName = font;
        }
        return plot;
    }

    /// <summary>SkiaSharp's native library and a font, checked once: without them a chart would fail deep inside
    /// SkiaSharp or come out without any text.</summary>
    private static class Renderer
    {
        private static readonly Lazy<string> font = new(FindFont);

        public static string Font => font.Value;

        private static string FindFont()
        {
            HashSet<string> families;
            try
            {
                // Without fonts SkiaSharp still lists one family: an empty name with no glyphs.
                families = SKFontManager.Default.FontFamilies.Where(f => f.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
            {
                throw new EnvironmentException("cannot draw plots: SkiaSharp's native library (libSkiaSharp) does not load — "
                    + "it is missing from the build output or lacks a system library", e) { Details = (e.InnerException ?? e).Message };
            }
            if (families.Count == 0)
                throw new EnvironmentException("cannot draw plots: SkiaSharp finds no fonts (on Linux it reads /usr/share/fonts) — install one, e.g. apt-get install fonts-dejavu-core");
            // ScottPlot's own default on Linux is the first family it finds, often a serif.
            return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(families.Contains) ?? Fonts.Default;
        }
    }
}
