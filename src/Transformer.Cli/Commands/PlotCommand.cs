// transformer plot RUN_DIR [--output DIR]: learning curves (loss, validation metrics) as SVG.
using System.CommandLine;
using Transformer.Training.Plots;

namespace Transformer.Cli.Commands;

internal static class PlotCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("run-dir") { Description = "A run directory (holding metrics.jsonl)" };
        var output = new Option<string?>("--output") { Description = "Where to write the SVG files (default RUN_DIR/plots)" };
        var command = new Command("plot", "Plot a run's loss and metric curves as SVG.") { runDir, output };
        command.SetAction(parse => Run(parse.GetValue(runDir)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(string runDir, string? output)
    {
        var metrics = Path.Combine(runDir, "metrics.jsonl");
        if (!File.Exists(metrics)) throw new CliException($"{runDir}: no metrics.jsonl (not a run directory, or nothing logged yet)");
        var title = File.Exists(Path.Combine(runDir, RunDirectory.ConfigFile)) ? RunDirectory.Existing(runDir).LoadConfig().Name : Path.GetFileName(Path.GetFullPath(runDir));
        try
        {
            foreach (var file in RunPlots.Write(metrics, output ?? Path.Combine(runDir, "plots"), title))
                Console.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, file));
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
        return ExitCodes.Success;
    }
}
