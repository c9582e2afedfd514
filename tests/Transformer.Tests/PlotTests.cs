// Learning curves: metrics.jsonl read back into curves, the charts made of one or several runs, PNG and SVG that
// decode and hold what they should, clear errors for bad logs.
using System.Xml.Linq;
using SkiaSharp;
using Transformer.Data;
using Transformer.Training.Plots;

namespace Transformer.Tests;

public sealed class PlotTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("plots-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private RunCurves Run(string name, params string[] lines)
    {
        var path = Path.Combine(dir, $"{name}.jsonl");
        File.WriteAllLines(path, lines);
        return RunCurves.Load(path, name);
    }

    private RunCurves Small(string name, double scale = 1) => Run(name,
        $$"""{"step":1,"kind":"train","loss":{{3 * scale}},"lr":0.1,"elapsed_s":60}""",
        $$"""{"step":2,"kind":"train","loss":{{2 * scale}},"lr":0.2,"elapsed_s":120}""",
        $$"""{"step":2,"kind":"valid","valid_loss":{{2.5 * scale}},"valid_token_accuracy":0.4,"elapsed_s":130}""",
        $$"""{"step":3,"kind":"train","loss":{{1 * scale}},"lr":0.3,"elapsed_s":180}""",
        $$"""{"step":4,"kind":"valid","valid_loss":{{1.5 * scale}},"valid_token_accuracy":0.7,"elapsed_s":250}""");

    [Fact]
    public void A_run_log_is_read_into_train_and_valid_curves_without_step_time_or_non_finite_values()
    {
        var run = Run("r",
            """{"step":1,"kind":"train","loss":3.0,"lr":0.1,"elapsed_s":1.5}""",
            "",
            """{"step":2,"kind":"train","loss":"NaN","lr":0.1}""",
            """{"step":2,"kind":"valid","valid_loss":2.5,"valid_wer":0.5}""",
            """{"step":3,"kind":"other","loss":9}""");
        Assert.Equal(["loss", "lr"], run.Train.Keys.Order());
        Assert.Equal([new CurvePoint(1, 1.5, 3.0)], run.Train["loss"]);
        Assert.Equal(2, run.Train["lr"].Count);
        Assert.Equal(["valid_loss", "valid_wer"], run.Valid.Keys.Order());
        Assert.Equal(new CurvePoint(2, null, 0.5), run.Valid["valid_wer"].Single());
    }

    [Fact]
    public void One_run_gives_a_loss_chart_a_learning_rate_chart_and_one_chart_per_validation_metric()
    {
        var charts = LearningCurves.Charts([Small("a")]);
        Assert.Equal(["loss", "lr", "valid_token_accuracy"], charts.Select(c => c.FileStem));
        var loss = charts[0];
        Assert.Equal("a: loss", loss.Title);
        Assert.Equal("step", loss.XLabel);
        Assert.Equal(["train", "valid"], loss.Series.Select(s => s.Name));
        Assert.Equal([(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)], loss.Series[0].Points);
        Assert.False(loss.Series[0].Marked);
        Assert.True(loss.Series[1].Marked);
        Assert.Equal(loss.Series[0].Color, loss.Series[1].Color);
        Assert.Null(charts[1].Series.Single().Name);                      // one line needs no legend
    }

    [Fact]
    public void Several_runs_are_overlaid_one_color_each_with_their_names_in_the_legend()
    {
        var charts = LearningCurves.Charts([Small("base"), Small("wide", 0.5)]);
        var loss = charts.Single(c => c.FileStem == "loss");
        Assert.Equal("loss", loss.Title);
        Assert.Equal(["base train", "base valid", "wide train", "wide valid"], loss.Series.Select(s => s.Name));
        Assert.NotEqual(loss.Series[0].Color, loss.Series[2].Color);
        var accuracy = charts.Single(c => c.FileStem == "valid_token_accuracy");
        Assert.Equal(["base", "wide"], accuracy.Series.Select(s => s.Name));
        var texts = SvgTexts(accuracy.Svg());
        Assert.Contains("base", texts);
        Assert.Contains("wide", texts);
    }

    [Fact]
    public void Against_time_the_x_values_are_minutes_and_records_without_a_time_are_left_out()
    {
        var run = Run("t",
            """{"step":1,"kind":"train","loss":3.0,"elapsed_s":60}""",
            """{"step":2,"kind":"valid","valid_loss":2.5,"valid_wer":0.5,"elapsed_s":120}""",
            """{"step":3,"kind":"valid","valid_loss":2.0,"valid_wer":0.4}""",
            """{"step":4,"kind":"valid","valid_loss":1.5,"valid_wer":0.3,"elapsed_s":300}""");
        var charts = LearningCurves.Charts([run], PlotAxis.Time);
        Assert.Equal(["loss_time", "valid_wer_time"], charts.Select(c => c.FileStem)); // no lr logged, no elapsed_s chart
        Assert.Equal("training time (minutes)", charts[1].XLabel);
        Assert.Equal([(2.0, 0.5), (5.0, 0.3)], charts[1].Series.Single().Points);
    }

    [Fact]
    public void Write_makes_a_png_and_an_svg_per_chart_or_only_the_format_asked_for()
    {
        var output = Path.Combine(dir, "plots");
        var files = LearningCurves.Write([Small("a")], output);
        Assert.Equal(["loss.png", "loss.svg", "lr.png", "lr.svg", "valid_token_accuracy.png", "valid_token_accuracy.svg"],
            files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.StartsWith(output, f));
        var svgOnly = LearningCurves.Write([Small("a")], Path.Combine(dir, "svg"), PlotAxis.Time, PlotFormats.Svg);
        Assert.Equal(["loss_time.svg", "lr_time.svg", "valid_token_accuracy_time.svg"], svgOnly.Select(Path.GetFileName));
    }

    [Fact]
    public void The_png_decodes_to_the_chart_size_with_the_run_colors_drawn()
    {
        var chart = LearningCurves.Charts([Small("a"), Small("b", 0.5)])[0];
        using var bitmap = SKBitmap.Decode(chart.Png(640, 360));
        Assert.Equal((640, 360), (bitmap.Width, bitmap.Height));
        var colors = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
                colors.Add(bitmap.GetPixel(x, y));
        Assert.True(colors.Count > 20, $"{colors.Count} colors");                 // lines, text, grid: not a blank image
        // Anti-aliasing blends edges; the middle of a 2-pixel line keeps (nearly) its color.
        bool Drawn(string color) => colors.Any(c => Near(c, SKColor.Parse(color)));
        static bool Near(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) <= 12;
        Assert.True(Drawn(chart.Series[0].Color), "first run's color");
        Assert.True(Drawn(chart.Series[2].Color), "second run's color");
    }

    [Fact]
    public void The_svg_is_xml_with_paths_titles_and_legend_text()
    {
        var chart = LearningCurves.Charts([Small("a")])[0];
        var svg = XDocument.Parse(chart.Svg());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal("800", svg.Root.Attribute("width")?.Value);
        Assert.True(svg.Descendants(ns + "path").Count() >= 2);
        var texts = SvgTexts(chart.Svg());
        Assert.Contains("a: loss", texts);
        Assert.Contains("step", texts);
        Assert.Contains("train", texts);
        Assert.Contains("valid", texts);
    }

    private static List<string> SvgTexts(string svg) =>
        [.. XDocument.Parse(svg).Descendants(XNamespace.Get("http://www.w3.org/2000/svg") + "text").Select(t => t.Value.Trim())];

    [Fact]
    public void A_png_data_uri_embeds_the_png()
    {
        var uri = LearningCurves.Charts([Small("a")])[1].PngDataUri(200, 100);
        Assert.StartsWith("data:image/png;base64,", uri);
        using var bitmap = SKBitmap.Decode(Convert.FromBase64String(uri["data:image/png;base64,".Length..]));
        Assert.Equal(200, bitmap.Width);
    }

    [Theory]
    [InlineData("{not json", "not JSON")]
    [InlineData("[1,2]", "a JSON Array")]
    [InlineData("""{"kind":"train","loss":1}""", "no integer \"step\"")]
    [InlineData("""{"step":1,"loss":1}""", "no string \"kind\"")]
    public void A_bad_log_line_is_reported_with_its_file_and_line_number(string line, string problem)
    {
        var path = Path.Combine(dir, "metrics.jsonl");
        File.WriteAllLines(path, ["""{"step":1,"kind":"train","loss":3.0}""", line]);
        var e = Assert.Throws<DataFormatException>(() => RunCurves.Load(path, "x"));
        Assert.StartsWith($"{path}:2: {problem}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_log_without_records_is_an_error()
    {
        var path = Path.Combine(dir, "metrics.jsonl");
        File.WriteAllText(path, "\n");
        var e = Assert.Throws<DataFormatException>(() => RunCurves.Load(path, "x"));
        Assert.StartsWith($"{path}: no train or valid records", e.Message);
    }

    [Fact]
    public void Runs_that_share_an_experiment_name_are_told_apart_by_their_directories()
    {
        Assert.Equal(["reverse", "copy"], LearningCurves.DistinctNames(["reverse", "copy"], ["a", "b"]));
        Assert.Equal(["a", "b"], LearningCurves.DistinctNames(["reverse", "reverse"], ["a", "b"]));
    }
}
