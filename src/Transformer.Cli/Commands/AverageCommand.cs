// transformer average RUN_DIR [--last N]: the mean of the model weights of the run's last N checkpoints, written as
// RUN_DIR/checkpoints/average-last-N, a checkpoint evaluate, generate and info accept (fairseq's checkpoint averaging).
using System.CommandLine;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli.Commands;

internal static class AverageCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("run-dir") { Description = "A run directory (holding checkpoints/)" };
        var last = new Option<int>("--last") { Description = "How many of the latest checkpoints to average", DefaultValueFactory = _ => 3 };
        var command = new Command("average", "Average the model weights of a run's latest checkpoints into RUN_DIR/checkpoints/average-last-N.") { runDir, last };
        command.SetAction(parse => Run(parse.GetValue(runDir)!, parse.GetValue(last)));
        return command;
    }

    private static int Run(string runDir, int last)
    {
        if (last < 1) throw new CliException($"--last must be at least 1, got {last}");
        var checkpoints = Path.Combine(runDir, "checkpoints");
        if (!Directory.Exists(checkpoints)) throw new CliException($"{runDir}: no checkpoints/ directory (not a run directory?)");
        var available = new CheckpointStore(checkpoints).List();
        if (available.Count < last)
            throw new CliException($"{checkpoints}: {available.Count} complete checkpoint(s), --last {last} needs {last} (checkpoint.keep_last keeps that many)");
        var sources = available.Skip(available.Count - last).Select(c => c.path).ToArray();
        var destination = Path.Combine(checkpoints, $"average-last-{last}");
        CheckpointAverage.Write(sources, destination);
        Console.WriteLine($"{Path.GetRelativePath(Environment.CurrentDirectory, destination)}: mean of {string.Join(", ", sources.Select(Path.GetFileName))}");
        return ExitCodes.Success;
    }
}
