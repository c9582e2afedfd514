// Attention heatmaps as PNG: one image per attention sub-layer, a grid of panels (the head average, then
// each head) with the query tokens down the left and the key tokens along the bottom (ScottPlot, SkiaSharp).
using ScottPlot;
using SkiaSharp;

namespace Transformer.Visualization;

public static class AttentionMaps
{
    private const int TitleHeight = 34;
    private const float FontSize = 11;

    // ScottPlot's Fonts.Sans can resolve to a serif face (DejaVu Serif on Debian); take the first sans face installed.
    private static readonly Lazy<string> SansFont = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
            .FirstOrDefault(name => SKFontManager.Default.MatchFamily(name) is not null) ?? Fonts.Default);

    /// <summary>The PNG of one layer: the head average and every head, each a heatmap on the fixed range 0–1.</summary>
    public static byte[] Png(AttentionSet set, AttentionLayer layer)
    {
        var queries = set.Tokens(layer.Queries).Select(AttentionSet.Readable).ToArray();
        var keys = set.Tokens(layer.Keys).Select(AttentionSet.Readable).ToArray();
        var panels = new List<(string title, float[][] weights)> { ("mean of heads", layer.Mean) };
        panels.AddRange(layer.Heads.Select((w, h) => ($"head {h}", w)));
        var columns = panels.Count <= 3 ? panels.Count : (int)Math.Ceiling(Math.Sqrt(panels.Count));
        var rows = (panels.Count + columns - 1) / columns;

        // Cells shrink as sequences grow (down to 2 pixels, so 1,000 tokens still make a panel of ~2,000 pixels);
        // below 12 pixels only every k-th token is labelled.
        var longest = Math.Max(queries.Length, keys.Length);
        var cell = longest <= 60 ? Math.Clamp(360 / longest, 6, 28) : Math.Max(2, 600 / longest);
        var labelRoom = 14 + (int)(7 * Math.Max(queries.Max(t => t.Length), keys.Max(t => t.Length)));
        var (panelWidth, panelHeight) = (cell * keys.Length + labelRoom + 30, cell * queries.Length + labelRoom + 40);

        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        for (var i = 0; i < panels.Count; i++)
            Panel(multiplot.GetPlot(i), panels[i].title, panels[i].weights, queries, keys, labelRoom, cell);

        var (width, height) = (columns * panelWidth, rows * panelHeight + TitleHeight);
        using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException($"cannot create a {width}×{height} image");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Save();
        canvas.Translate(0, TitleHeight);                          // the grid layout fills its rectangle from the origin
        multiplot.Render(canvas, new PixelRect(0, width, height - TitleHeight, 0));
        canvas.Restore();
        Heading(canvas, $"{layer.Title}  (rows: {Side(layer.Queries)} queries; columns: {Side(layer.Keys)} keys)", width);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The title across the top and, at its right, the colour scale 0–1 shared by every panel.</summary>
    private static void Heading(SKCanvas canvas, string title, int width)
    {
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var bold = new SKFont(SKTypeface.FromFamilyName(SansFont.Value, SKFontStyle.Bold) ?? SKTypeface.Default, 15);
        using var plain = new SKFont(SKTypeface.FromFamilyName(SansFont.Value) ?? SKTypeface.Default, FontSize);
        using (var white = new SKPaint { Color = SKColors.White }) canvas.DrawRect(0, 0, width, TitleHeight, white);
        canvas.DrawText(title, 10, 22, bold, paint);
        const int barWidth = 120, barHeight = 10;
        var left = width - barWidth - 40;
        if (left < bold.MeasureText(title) + 40) return;          // no room beside a long title
        var viridis = new ScottPlot.Colormaps.Viridis();
        for (var x = 0; x < barWidth; x++)
        {
            var c = viridis.GetColor(x / (double)(barWidth - 1));
            using var fill = new SKPaint { Color = new SKColor(c.R, c.G, c.B) };
            canvas.DrawRect(left + x, 12, 1, barHeight, fill);
        }
        canvas.DrawText("0", left - 12, 21, plain, paint);
        canvas.DrawText("1", left + barWidth + 5, 21, plain, paint);
    }

    private static string Side(TokenSide side) => side == TokenSide.Source ? "source" : "target";

    private static void Panel(Plot plot, string title, float[][] weights, string[] queries, string[] keys, int labelRoom, int cell)
    {
        var data = new double[queries.Length, keys.Length];
        for (var q = 0; q < queries.Length; q++)
            for (var k = 0; k < keys.Length; k++) data[q, k] = weights[q][k];
        var heatmap = plot.Add.Heatmap(data);                     // row 0 at the top
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Font.Set(SansFont.Value);
        plot.Title(title, FontSize + 2);
        plot.HideGrid();
        plot.Axes.Margins(0, 0);
        plot.Axes.Bottom.TickGenerator = Ticks(keys, cell, i => i);
        plot.Axes.Left.TickGenerator = Ticks(queries, cell, i => queries.Length - 1 - i);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = FontSize;
            axis.MinimumSize = labelRoom;
        }
        plot.Axes.Bottom.MaximumSize = labelRoom;
        plot.Axes.Left.MaximumSize = labelRoom;
    }

    /// <summary>A label at every token, or at every k-th when cells are too small for one each.</summary>
    private static ScottPlot.TickGenerators.NumericManual Ticks(string[] tokens, int cell, Func<int, int> position)
    {
        var step = Math.Max(1, (int)Math.Ceiling(12.0 / cell));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < tokens.Length; i += step) ticks.AddMajor(position(i), tokens[i]);
        return ticks;
    }
}
