// transformer train [CONFIG] [--set key=value]... [--run-dir DIR] [--resume RUN_DIR] [--tensorboard] [--nproc N]
// Under mpirun (or --nproc N, which starts it) every rank runs this command; rank 0 alone prints and writes.
using System.Text;
using Transformer.Distributed;
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
        var nproc = new Option<int?>("--nproc")
        {
            Description = "Data-parallel training: start N processes on this host through mpirun (Open MPI), each on its share of every batch",
        };
        var command = new Command("train",
            "Train an experiment; Ctrl+C finishes the current step, saves a checkpoint and exits 130 (resume with --resume).")
        {
            config, set, runDir, resume, allowDataChange, tensorboard, nproc,
        };
        command.SetAction((parse, cancel) =>
        {
            var overrides = parse.GetValue(set) ?? Array.Empty<string>();
            if (parse.GetValue(tensorboard)) overrides = [.. overrides, "training.tensorboard=true"];
            if (MpiLauncher.Ranks(parse.GetValue(nproc)) is { } ranks) return Task.FromResult(MpiLauncher.Relaunch(ranks));
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
        using var communicator = Communicator.FromEnvironment();
        if (communicator.Rank != 0) Console.SetOut(TextWriter.Null);
        return resumeDir is null ? Start(configFile, overrides, runDir, communicator, cancel) : Resume(resumeDir, overrides, allowDataChange, communicator, cancel);
    }

    /// <summary>Rank 0's <paramref name="text"/> on every rank.</summary>
    private static string Shared(ICommunicator communicator, string text)
    {
        if (communicator.Size == 1) return text;
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = BitConverter.GetBytes(bytes.Length);
        communicator.Broadcast(length);
        Array.Resize(ref bytes, BitConverter.ToInt32(length));
        communicator.Broadcast(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A new run: config, device, data, tokenizer and model are all ready before the run directory appears,
    /// so a bad start leaves nothing to clean up.</summary>
    private static int Start(FileInfo? configFile, string[] overrides, string? runDir, ICommunicator communicator, CancellationToken cancel)
    {
        var experiment = configFile is null
            ? (overrides.Length == 0 ? SequenceReversal.DefaultConfig() : ConfigLoader.Parse(ConfigWriter.ToYaml(SequenceReversal.DefaultConfig()), "built-in reverse experiment", overrides))
            : ConfigLoader.Load(configFile.FullName, overrides);
        Experiment.DeviceOf(experiment);
        // Rank 0 names the run directory (its default holds the time) and alone creates it; the others use its name.
        var path = Shared(communicator, communicator.Rank == 0 ? RunDirectory.Choose(runDir, experiment.Name) : "");
        var data = OpenData(communicator, () => Experiment.Data(experiment));
        using var ownedData = data as IDisposable;
        using var model = Experiment.BuildModel(experiment);
        var initialised = Initialise(experiment, model, fromPretrained: true);
        RunDirectory? created = null;
        if (communicator.Rank == 0)
        {
            created = RunDirectory.Create(path);
            created.SaveConfig(experiment);
            Experiment.RecordData(data, created.Path);
        }
        communicator.Barrier();
        var run = created ?? RunDirectory.Existing(path);
        return Train(experiment, run, data, model, communicator, resume: false, cancel, initialised: initialised);
    }

    /// <summary>Continues a run from its latest checkpoint, on the data it started with: its own tokenizer, and
    /// source files whose hashes match data.json unless --allow-data-change. Overrides (--set) become the run's
    /// config once its checkpoint has loaded.</summary>
    private static int Resume(string resumeDir, string[] overrides, bool allowDataChange, ICommunicator communicator, CancellationToken cancel)
    {
        var run = RunDirectory.Existing(resumeDir);
        var experiment = overrides.Length == 0 ? run.LoadConfig() : ConfigLoader.Load(run.ConfigPath, overrides);
        Experiment.DeviceOf(experiment);
        var data = OpenData(communicator, () => Experiment.Data(run.WithRunTokenizer(experiment)));
        using var ownedData = data as IDisposable;
        CheckData(run, data, allowDataChange, writes: communicator.Rank == 0);
        using var model = Experiment.BuildModel(experiment);
        // A run stopped before its first checkpoint starts over, from model.init_from as a new run would; otherwise the checkpoint wins.
        var initialised = Initialise(experiment, model, fromPretrained: !run.HasCheckpoint);
        Action? resumed = overrides.Length == 0 || communicator.Rank != 0 ? null : () => run.SaveConfig(experiment);
        return Train(experiment, run, data, model, communicator, resume: true, cancel, resumed, initialised);
    }

    /// <summary>Copies model.init_from into the fresh model when <paramref name="fromPretrained"/>, and tells what it copied
    /// and how training.freeze / pretrained_lr split the parameters (a bad training.freeze stops here, before the run is
    /// written); returns what init_from copied, null when nothing.</summary>
    private static InitReport? Initialise(ExperimentConfig experiment, nn.Module model, bool fromPretrained)
    {
        var initialised = fromPretrained ? PretrainedWeights.Apply(experiment.Model, model) : null;
        if (initialised is not null) Console.WriteLine(initialised);
        if (ParameterGroups.Of(experiment, model).Describe() is { } groups) Console.WriteLine(groups);
        return initialised;
    }

    /// <summary>Rank 0 opens the data first (preparing the shards when they are missing or stale), the others once
    /// it has, so that no two ranks write the same shards.</summary>
    private static IBatchSource OpenData(ICommunicator communicator, Func<IBatchSource> open)
    {
        var data = communicator.Rank == 0 ? open() : null;
        communicator.Barrier();
        return data ?? open();
    }

    private static void CheckData(RunDirectory run, IBatchSource data, bool allowDataChange, bool writes)
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
        if (writes) RunDirectory.WriteAtomically(run.DataRecordPath, now.ToJson());
    }

    private static int Train(ExperimentConfig experiment, RunDirectory run, IBatchSource data, nn.Module model, ICommunicator communicator, bool resume,
        CancellationToken cancel, Action? resumed = null, InitReport? initialised = null)
    {
        Console.WriteLine($"experiment {experiment.Name}: {experiment.Model.GetType().Name.Replace("Config", "")}, {model.ParameterCount():N0} parameters");
        Console.WriteLine($"run directory {Path.GetRelativePath(Environment.CurrentDirectory, run.Path)}");
        if (communicator.Size > 1) Console.WriteLine($"data parallel over {communicator.Size} processes (MPI); batches of {experiment.Training.BatchTokens} tokens shared among them");
        var outcome = LiveProgress.Run(experiment.Training.MaxSteps,
            observer => new Trainer(experiment, model, data, run.Path, resumed is null ? observer : new NotifyOnStart(observer, resumed),
                Experiment.GenerationMetrics(experiment, data), communicator) { InitFrom = initialised }.Run(resume, cancel));
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
