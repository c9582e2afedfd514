// transformer train [CONFIG] [--set key=value]... [--run-dir DIR] [--resume RUN_DIR]
using Transformer.Models;
using System.CommandLine;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Training;

namespace Transformer.Cli.Commands;

internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo?>("config")
        {
            Description = "YAML experiment file; without one, the built-in sequence-reversal experiment",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a config key, e.g. --set training.max_steps=500 (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var runDir = new Option<string?>("--run-dir") { Description = "Where to write the run (default runs/NAME-TIMESTAMP)" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this directory from its latest checkpoint" };
        var command = new Command("train", "Train an experiment; Ctrl+C finishes the current step, saves a checkpoint and exits 0.")
        {
            config, set, runDir, resume,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(parse.GetValue(config), parse.GetValue(set) ?? Array.Empty<string>(),
            parse.GetValue(runDir), parse.GetValue(resume), cancel)));
        return command;
    }

    private static int Run(FileInfo? configFile, string[] overrides, string? runDir, string? resumeDir, CancellationToken cancel)
    {
        RunDirectory run;
        ExperimentConfig experiment;
        if (resumeDir is not null)
        {
            if (configFile is not null || runDir is not null)
                throw new CliException("--resume continues a run with its saved config; drop CONFIG and --run-dir");
            run = RunDirectory.Existing(resumeDir);
            experiment = overrides.Length == 0 ? run.LoadConfig() : ConfigLoader.Load(run.ConfigPath, overrides);
        }
        else
        {
            experiment = configFile is null
                ? (overrides.Length == 0 ? SequenceReversal.DefaultConfig() : ConfigLoader.Parse(ConfigWriter.ToYaml(SequenceReversal.DefaultConfig()), "built-in reverse experiment", overrides))
                : ConfigLoader.Load(configFile.FullName, overrides);
            Experiment.DeviceOf(experiment);                      // refuse an unusable device before writing anything
            run = RunDirectory.Create(runDir, experiment.Name);
            run.SaveConfig(experiment);
        }
        var data = Experiment.Data(experiment, run.Path);
        using var ownedData = data as IDisposable;
        using var model = Experiment.BuildModel(experiment);
        Console.WriteLine($"experiment {experiment.Name}: {experiment.Model.GetType().Name.Replace("Config", "")}, {model.ParameterCount():N0} parameters");
        Console.WriteLine($"run directory {Path.GetRelativePath(Environment.CurrentDirectory, run.Path)}");
        var outcome = LiveProgress.Run(experiment.Training.MaxSteps,
            observer => new Trainer(experiment, model, data, run.Path, observer, Experiment.GenerationMetrics(experiment, data, run.Path))
                .Run(resume: resumeDir is not null, cancel));
        Console.WriteLine(outcome.Message);
        if (outcome.Reason == StopReason.NonFiniteLoss) return ExitCodes.Failure;
        var best = outcome.BestCheckpoint ?? outcome.LastCheckpoint;
        if (best is not null)
        {
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(run.CheckpointsPath, "best"));
            Console.WriteLine("next:");
            Console.WriteLine($"  ./transformer evaluate {relative} --json");
            Console.WriteLine($"  ./transformer generate {relative} --input \"{(experiment.Data.Builtin == "reverse" ? "transformer" : "...")}\"");
            Console.WriteLine($"  ./transformer info {relative}");
        }
        return ExitCodes.Success;
    }
}
