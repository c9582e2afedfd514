// `transformer report`: one self-contained HTML page about a run, checked as a browser shows it (headless Chromium,
// which scripts/test.sh installs from Debian when missing).
using System.Diagnostics;
using SkiaSharp;

namespace Transformer.Cli.Tests;

public sealed class ReportTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("transformer-report-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void A_report_shows_the_runs_metrics_examples_and_config_and_renders_in_chromium()
    {
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "run", .. Cli.TinyReversal, "--set", "training.max_steps=8"]).ExitCode);
        var report = Cli.Run(work, "report", "run", "--examples", "5");
        Assert.True(report.ExitCode == 0, report.Stderr);
        var page = Path.Combine(work, "run", "report.html");
        var html = File.ReadAllText(page);
        foreach (var section in new[] { "<h2>Metrics</h2>", "<h2>Learning curves</h2>", "<h2>Examples</h2>", "<h2>Attention</h2>", "<h2>Parameters</h2>", "<h2>Configuration</h2>" })
            Assert.Contains(section, html);
        Assert.Contains("exact_match", html);
        Assert.Equal(5, html.Split("<tr class=").Length - 1);            // five examples, each marked right or wrong
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);

        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        Assert.True(chromium is not null, "no headless Chromium (scripts/test.sh installs Debian's chromium)");
        var screenshot = Path.Combine(work, "report.png");
        var info = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1100,1400", $"--screenshot={screenshot}", new Uri(page).AbsoluteUri])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using (var browser = Process.Start(info)!)
        {
            _ = browser.StandardOutput.ReadToEndAsync();
            _ = browser.StandardError.ReadToEndAsync();
            Assert.True(browser.WaitForExit(TimeSpan.FromMinutes(2)), "chromium did not finish");
        }
        // The page was laid out: dark text on a white page, and colour — the curves' lines, the examples' green (right)
        // or red (wrong) outputs.
        using var bitmap = SKBitmap.Decode(screenshot);
        Assert.Equal(1100, bitmap.Width);
        var (dark, colored) = (0, 0);
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 200) dark++;
                if (Math.Abs(c.Red - c.Green) > 60 || Math.Abs(c.Green - c.Blue) > 60) colored++;
            }
        Assert.True(dark > 2000, $"only {dark} dark pixels: the page did not render its text");
        Assert.True(colored > 50, $"only {colored} colored pixels: no curves or examples shown");
    }

    [Fact]
    public void A_run_without_metrics_is_one_line_and_exit_2()
    {
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "run", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        File.Delete(Path.Combine(work, "run", "metrics.jsonl"));
        var result = Cli.Run(work, "report", "run");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("metrics.jsonl", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(work, "run", "report.html")));
    }
}
