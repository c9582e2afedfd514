// Learning-curve SVGs: round ticks, one polyline point per logged value, clear errors for bad logs.
using Transformer.Training.Plots;

namespace Transformer.Tests;

public sealed class PlotTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("plots-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(0, 2000, new double[] { 0, 500, 1000, 1500, 2000 })]
    [InlineData(0.05, 0.49, new double[] { 0.1, 0.2, 0.3, 0.4 })]
    [InlineData(-3, 3, new double[] { -2, 0, 2 })]
    public void Ticks_are_round_values_inside_the_range(double lo, double hi, double[] expected) =>
        Assert.Equal(expected, SvgLineChart.Ticks(lo, hi).Select(t => Math.Round(t, 9)));

    [Fact]
    public void A_run_log_becomes_a_loss_chart_and_one_chart_per_validation_metric()
    {
        var metrics = Path.Combine(dir, "metrics.jsonl");
        File.WriteAllLines(metrics, new[]
        {
            """{"step":1,"kind":"train","loss":3.0,"lr":0.1}""",
            """{"step":2,"kind":"train","loss":2.0,"lr":0.1}""",
            """{"step":2,"kind":"valid","valid_loss":2.5,"valid_token_accuracy":0.4}""",
            """{"step":3,"kind":"train","loss":1.0,"lr":0.1}""",
        });
        var files = RunPlots.Write(metrics, Path.Combine(dir, "plots"), "test");
        Assert.Equal(new[] { "loss.svg", "valid_token_accuracy.svg" }, files.Select(Path.GetFileName));
        var loss = File.ReadAllText(files[0]);
        var trainPoints = loss.Split("<polyline")[1].Split("points=\"")[1].Split('"')[0].Split(' ');
        Assert.Equal(3, trainPoints.Length);
        Assert.Contains("valid loss", loss);
    }

    [Fact]
    public void Against_time_the_x_values_are_minutes_and_records_without_a_time_are_left_out()
    {
        var metrics = Path.Combine(dir, "metrics.jsonl");
        File.WriteAllLines(metrics, new[]
        {
            """{"step":1,"kind":"train","loss":3.0,"elapsed_s":60}""",
            """{"step":2,"kind":"valid","valid_loss":2.5,"valid_wer":0.5,"elapsed_s":120}""",
            """{"step":3,"kind":"valid","valid_loss":2.0,"valid_wer":0.4}""",
            """{"step":4,"kind":"valid","valid_loss":1.5,"valid_wer":0.3,"elapsed_s":300}""",
        });
        var files = RunPlots.Write(metrics, Path.Combine(dir, "plots"), "test", PlotAxis.Time);
        Assert.Equal(new[] { "loss_time.svg", "valid_wer_time.svg" }, files.Select(Path.GetFileName)); // no valid_elapsed_s chart
        var wer = File.ReadAllText(files[1]);
        Assert.Contains("training time (minutes)", wer);
        Assert.Equal(2, wer.Split("<polyline")[1].Split("points=\"")[1].Split('"')[0].Split(' ').Length);
    }

    [Fact]
    public void A_corrupt_log_line_is_reported_with_its_line_number()
    {
        var metrics = Path.Combine(dir, "metrics.jsonl");
        File.WriteAllLines(metrics, new[] { """{"step":1,"kind":"train","loss":3.0}""", "{not json" });
        var e = Assert.Throws<FormatException>(() => RunPlots.Write(metrics, dir, "x"));
        Assert.StartsWith($"{metrics}:2:", e.Message);
    }
}
