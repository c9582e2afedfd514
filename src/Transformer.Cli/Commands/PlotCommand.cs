// transformer plot RUN [RUN...] [--output DIR] [--x step|time] [--format png|svg|both]: learning curves (loss,
// learning rate, validation metrics) as PNG and SVG; several runs are overlaid, one color each, to compare recipes.
using System.CommandLine;
using Transformer.Training.Plots;

namespace Transformer.Cli.Commands;

internal static class PlotCommand
{
    public static Command Create()
    {
        var runDirs = new Argument<string[]>("run-dir") { Description = "Run directories (each holding metrics.jsonl); several are overlaid", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output") { Description = "Where to write the charts (default RUN_DIR/plots for one run, ./plots for several)" };
        var x = new Option<string>("--x")
        {
            Description = "The horizontal axis: optimizer steps or training time (minutes)",
            DefaultValueFactory = _ => "step",
        };
        x.AcceptOnlyFromAmong("step", "time");
        var format = new Option<string>("--format")
        {
            Description = "The files written per chart",
            DefaultValueFactory = _ => "both",
        };
        format.AcceptOnlyFromAmong("png", "svg", "both");
        var command = new Command("plot", "Plot runs' loss, learning rate and validation metrics as PNG and SVG.") { runDirs, output, x, format };
        command.SetAction(parse => Run(
            parse.GetValue(runDirs)!,
            parse.GetValue(output),
            parse.GetValue(x) == "time" ? PlotAxis.Time : PlotAxis.Step,
            parse.GetValue(format) switch { "png" => PlotFormats.Png, "svg" => PlotFormats.Svg, _ => PlotFormats.Both }));
        return command;
    }

    private static int Run(string[] runDirs, string? output, PlotAxis axis, PlotFormats formats)
    {
        var runs = Load(runDirs);
        var outputDirectory = output ?? (runDirs.Length == 1 ? Path.Combine(runDirs[0], "plots") : "plots");
        foreach (var file in LearningCurves.Write(runs, outputDirectory, axis, formats))
            Console.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, file));
        return ExitCodes.Success;
    }

    /// <summary>The runs' curves, each named after its experiment (its directory when it has no config.yaml, or
    /// when two runs share an experiment name).</summary>
    internal static IReadOnlyList<RunCurves> Load(IReadOnlyList<string> runDirs)
    {
        var names = new List<string>();
        foreach (var runDir in runDirs)
        {
            if (!Directory.Exists(runDir)) throw new CliException($"{runDir}: no such run directory");
            if (!File.Exists(Path.Combine(runDir, RunCurves.MetricsFile)))
                throw new CliException($"{runDir}: no {RunCurves.MetricsFile} (not a run directory, or nothing logged yet)");
            names.Add(RunDirectory.IsRun(runDir) ? RunDirectory.Existing(runDir).LoadConfig().Name : DirectoryName(runDir));
        }
        names = [.. LearningCurves.DistinctNames(LearningCurves.DistinctNames(names, [.. runDirs.Select(DirectoryName)]), runDirs)];
        return [.. runDirs.Select((runDir, i) => RunCurves.Load(Path.Combine(runDir, RunCurves.MetricsFile), names[i]))];
    }

    private static string DirectoryName(string runDir) => Path.GetFileName(Path.GetFullPath(runDir).TrimEnd('/', '\\'));
}
