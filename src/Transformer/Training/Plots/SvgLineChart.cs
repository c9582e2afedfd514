// A minimal SVG line chart (no plotting package is available): one or more series over a shared x
// axis, linear axes with round tick values, a legend. Pure text out, so it diffs and renders anywhere.
using System.Globalization;
using System.Text;

namespace Transformer.Training.Plots;

public sealed record ChartSeries(string Name, IReadOnlyList<(double x, double y)> Points, string Color);

public static class SvgLineChart
{
    private const int Width = 720, Height = 400, Left = 70, Right = 20, Top = 40, Bottom = 50;

    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.y)).ToList();
        if (points.Count == 0) throw new ArgumentException($"chart '{title}' has no finite points");
        var (x0, x1) = Range(points.Select(p => p.x));
        var (y0, y1) = Range(points.Select(p => p.y));
        double X(double x) => Left + (x - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double y) => Height - Bottom - (y - y0) / (y1 - y0) * (Height - Top - Bottom);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        foreach (var tick in Ticks(x0, x1))
            svg.Append(Invariant($"<line x1=\"{X(tick):F1}\" y1=\"{Top}\" x2=\"{X(tick):F1}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/><text x=\"{X(tick):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{tick:G6}</text>\n"));
        foreach (var tick in Ticks(y0, y1))
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(tick):F1}\" x2=\"{Width - Right}\" y2=\"{Y(tick):F1}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{tick:G4}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#888\"/>\n"));
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        svg.Append(Invariant($"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>\n"));
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var path = string.Join(" ", s.Points.Where(p => double.IsFinite(p.y)).Select(p => Invariant($"{X(p.x):F1},{Y(p.y):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.6\" points=\"{path}\"/>\n"));
            svg.Append(Invariant($"<line x1=\"{Width - Right - 150}\" y1=\"{Top + 14 + 16 * i}\" x2=\"{Width - Right - 130}\" y2=\"{Top + 14 + 16 * i}\" stroke=\"{s.Color}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right - 124}\" y=\"{Top + 18 + 16 * i}\">{Escape(s.Name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static (double lo, double hi) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (lo, hi) = (list.Min(), list.Max());
        if (lo == hi) (lo, hi) = (lo - 0.5, hi + 0.5);
        return (lo, hi);
    }

    /// <summary>About five round tick values (1, 2 or 5 × 10^k apart) inside [lo, hi].</summary>
    internal static IEnumerable<double> Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9; t += step) yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
