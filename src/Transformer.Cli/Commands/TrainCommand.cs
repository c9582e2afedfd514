// transformer train [CONFIG] [--set key=value]... [--run-dir DIR] [--resume RUN_DIR] [--tensorboard]
using Transformer.Models;
using System.CommandLine;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Data;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

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
        var allowDataChange = new Option<bool>("--allow-data-change")
        {
            Description = "With --resume: continue even though the data files changed since the run started (recorded in data.json)",
        };
        var tensorboard = new Option<bool>("--tensorboard")
        {
            Description = "Also write TensorBoard event files under RUN/tensorboard (the same as --set training.tensorboard=true)",
        };
        var command = new Command("train",
            "Train an experiment; Ctrl+C finishes the current step, saves a checkpoint and exits 130 (resume with --resume).")
        {
            config, set, runDir, resume, allowDataChange, tensorboard,
        };
        command.SetAction((parse, cancel) =>
        {
            var overrides = parse.GetValue(set) ?? Array.Empty<string>();
            if (parse.GetValue(tensorboard)) overrides = [.. overrides, "training.tensorboard=true"];
            return Task.FromResult(Run(parse.GetValue(config), overrides, parse.GetValue(runDir), parse.GetValue(resume),
                parse.GetValue(allowDataChange), cancel));
        });
        return command;
    }

    private static int Run(FileInfo? configFile, string[] overrides, string? runDir, string? resumeDir, bool allowDataChange, CancellationToken cancel)
    {
        if (resumeDir is not null && (configFile is not null || runDir is not null))
            throw new CliException("--resume continues a run with its saved config; drop CONFIG and --run-dir");
        if (resumeDir is null && allowDataChange) throw new CliException("--allow-data-change only applies with --resume");
        return resumeDir is null ? Start(configFile, overrides, runDir, cancel) : Resume(resumeDir, overrides, allowDataChange, cancel);
    }

    /// <summary>A new run: config, device, data, tokenizer and model are all ready before the run directory appears,
    /// so a bad start leaves nothing to clean up.</summary>
    private static int Start(FileInfo? configFile, string[] overrides, string? runDir, CancellationToken cancel)
    {
        var experiment = configFile is null
            ? (overrides.Length == 0 ? SequenceReversal.DefaultConfig() : ConfigLoader.Parse(ConfigWriter.ToYaml(SequenceReversal.DefaultConfig()), "built-in reverse experiment", overrides))
            : ConfigLoader.Load(configFile.FullName, overrides);
        Experiment.DeviceOf(experiment);
        var path = RunDirectory.Choose(runDir, experiment.Name);
        var data = Experiment.Data(experiment);
        using var ownedData = data as IDisposable;
        using var model = Experiment.BuildModel(experiment);
        if (PretrainedWeights.Apply(experiment.Model, model) is { } loaded) Console.WriteLine(loaded);
        var run = RunDirectory.Create(path);
        run.SaveConfig(experiment);
        Experiment.RecordData(data, run.Path);
        return Train(experiment, run, data, model, resume: false, cancel);
    }

    /// <summary>Continues a run from its latest checkpoint, on the data it started with: its own tokenizer, and
    /// source files whose hashes match data.json unless --allow-data-change. Overrides (--set) become the run's
    /// config once its checkpoint has loaded.</summary>
    private static int Resume(string resumeDir, string[] overrides, bool allowDataChange, CancellationToken cancel)
    {
        var run = RunDirectory.Existing(resumeDir);
        var experiment = overrides.Length == 0 ? run.LoadConfig() : ConfigLoader.Load(run.ConfigPath, overrides);
        Experiment.DeviceOf(experiment);
        var data = Experiment.Data(run.WithRunTokenizer(experiment));
        using var ownedData = data as IDisposable;
        CheckData(run, data, allowDataChange);
        using var model = Experiment.BuildModel(experiment);
        // A run stopped before its first checkpoint starts over, from model.init_from as a new run would; otherwise the checkpoint wins.
        if (!run.HasCheckpoint && PretrainedWeights.Apply(experiment.Model, model) is { } loaded) Console.WriteLine(loaded);
        Action? resumed = overrides.Length == 0 ? null : () => run.SaveConfig(experiment);
        return Train(experiment, run, data, model, resume: true, cancel, resumed);
    }

    private static void CheckData(RunDirectory run, IBatchSource data, bool allowDataChange)
    {
        if (data is not PreparedBatchSource prepared || DataRecord.Load(run.DataRecordPath) is not { } recorded) return;
        var now = DataRecord.Of(prepared.Meta);
        var differences = recorded.Differences(now, run.TokenizerPath);
        if (differences.Count == 0) return;
        var summary = string.Join("; ", differences.Take(2)) + (differences.Count > 2 ? $"; and {differences.Count - 2} more" : "");
        if (!allowDataChange)
            throw new DataFormatException(run.DataRecordPath, $"the data changed since the run started: {summary}",
                "the files the run started with (restore them, or pass --allow-data-change to continue on the new data)");
        Console.WriteLine($"data changed since the run started ({summary}); continuing on the new data (--allow-data-change)");
        RunDirectory.WriteAtomically(run.DataRecordPath, now.ToJson());
    }

    private static int Train(ExperimentConfig experiment, RunDirectory run, IBatchSource data, nn.Module model, bool resume,
        CancellationToken cancel, Action? resumed = null)
    {
        Console.WriteLine($"experiment {experiment.Name}: {experiment.Model.GetType().Name.Replace("Config", "")}, {model.ParameterCount():N0} parameters");
        Console.WriteLine($"run directory {Path.GetRelativePath(Environment.CurrentDirectory, run.Path)}");
        var outcome = LiveProgress.Run(experiment.Training.MaxSteps,
            observer => new Trainer(experiment, model, data, run.Path, resumed is null ? observer : new NotifyOnStart(observer, resumed),
                Experiment.GenerationMetrics(experiment, data)).Run(resume, cancel));
        Console.WriteLine(outcome.Message);
        switch (outcome.Reason)
        {
            case StopReason.NonFinite: return ExitCodes.Failure;
            case StopReason.AlreadyFinished: return ExitCodes.Success;
            case StopReason.Cancelled:
                Console.WriteLine($"resume with: ./transformer train --resume {Path.GetRelativePath(Environment.CurrentDirectory, run.Path)}");
                return ExitCodes.Interrupted;
        }
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

    /// <summary>Passes everything on, and runs an action once training has started (after a resume loaded its checkpoint).</summary>
    private sealed class NotifyOnStart(ITrainingObserver inner, Action action) : ITrainingObserver
    {
        public void OnStart(long step, long? maxSteps)
        {
            action();
            inner.OnStart(step, maxSteps);
        }

        public void OnLog(long step, IReadOnlyDictionary<string, double> metrics) => inner.OnLog(step, metrics);
        public void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) => inner.OnEvaluation(step, metrics, improved);
        public void OnCheckpoint(long step, string path) => inner.OnCheckpoint(step, path);
    }
}
