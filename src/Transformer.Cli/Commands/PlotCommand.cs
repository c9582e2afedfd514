// transformer plot RUN_DIR [--output DIR] [--x step|time]: learning curves (loss, validation metrics) as SVG.
using System.CommandLine;
using Transformer.Training.Plots;

namespace Transformer.Cli.Commands;

internal static class PlotCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("run-dir") { Description = "A run directory (holding metrics.jsonl)" };
        var output = new Option<string?>("--output") { Description = "Where to write the SVG files (default RUN_DIR/plots)" };
        var x = new Option<string>("--x")
        {
            Description = "The horizontal axis: optimizer steps or training time (minutes)",
            DefaultValueFactory = _ => "step",
        };
        x.AcceptOnlyFromAmong("step", "time");
        var command = new Command("plot", "Plot a run's loss and metric curves as SVG.") { runDir, output, x };
        command.SetAction(parse => Run(parse.GetValue(runDir)!, parse.GetValue(output), parse.GetValue(x) == "time" ? PlotAxis.Time : PlotAxis.Step));
        return command;
    }

    private static int Run(string runDir, string? output, PlotAxis axis)
    {
        var metrics = Path.Combine(runDir, "metrics.jsonl");
        if (!File.Exists(metrics)) throw new CliException($"{runDir}: no metrics.jsonl (not a run directory, or nothing logged yet)");
        var title = File.Exists(Path.Combine(runDir, RunDirectory.ConfigFile)) ? RunDirectory.Existing(runDir).LoadConfig().Name : Path.GetFileName(Path.GetFullPath(runDir));
        try
        {
            foreach (var file in RunPlots.Write(metrics, output ?? Path.Combine(runDir, "plots"), title, axis))
                Console.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, file));
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
        return ExitCodes.Success;
    }
}
