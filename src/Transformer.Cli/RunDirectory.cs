// A run directory: config.yaml (resolved), tokenizer.json, data.json (what the run trains on), metrics.jsonl,
// checkpoints/step-N and checkpoints/best, and tensorboard/ with training.tensorboard. It appears only once everything
// before the first step is ready (Create is the last thing a new run does before training), so a failed start leaves
// nothing behind.
// Commands that take a checkpoint also take the run itself (its best checkpoint, else its latest).
using Transformer.Configuration;
using Transformer.Text;
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli;

internal sealed record RunDirectory(string Path)
{
    public const string ConfigFile = RunTokenizer.RunConfigFile;

    public string ConfigPath => System.IO.Path.Combine(Path, ConfigFile);
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");
    public string TokenizerPath => System.IO.Path.Combine(Path, ExperimentData.TokenizerFile);
    public string DataRecordPath => System.IO.Path.Combine(Path, DataRecord.FileName);

    /// <summary>runs/NAME-yyyyMMdd-HHmmss under the current directory unless a directory is given, which must be
    /// absent or empty. Checked before any work (<see cref="CheckAvailable"/>) and created after it.</summary>
    public static string Choose(string? requested, string experimentName)
    {
        var path = requested ?? System.IO.Path.Combine("runs", $"{experimentName}-{DateTime.Now:yyyyMMdd-HHmmss}");
        CheckAvailable(path);
        return path;
    }

    public static RunDirectory Create(string path)
    {
        CheckAvailable(path);
        try
        {
            Directory.CreateDirectory(path);
            var probe = System.IO.Path.Combine(path, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw EnvironmentException.FileSystem(path, "create the run directory", e);
        }
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    private static void CheckAvailable(string path)
    {
        if (File.Exists(path)) throw new CliException($"{path}: is a file; --run-dir needs a directory path");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new CliException($"{path}: run directory is not empty; use --resume {path} to continue it, or choose another --run-dir");
    }

    public static RunDirectory Existing(string path)
    {
        var run = new RunDirectory(System.IO.Path.GetFullPath(path));
        if (!Directory.Exists(path)) throw new CliException($"{path}: no such run directory");
        if (!File.Exists(run.ConfigPath)) throw new CliException($"{path}: not a run directory (no {ConfigFile})");
        return run;
    }

    /// <summary>Whether the run has saved a complete checkpoint (a resume then continues from it).</summary>
    public bool HasCheckpoint => Directory.Exists(CheckpointsPath) && new CheckpointStore(CheckpointsPath, cleanUp: false).Latest is not null;

    public static bool IsRun(string path) => File.Exists(System.IO.Path.Combine(path, ConfigFile));

    /// <summary>A checkpoint argument: a checkpoint directory (RUN/checkpoints/step-N or RUN/checkpoints/best), or a
    /// run directory, which stands for its best checkpoint (its latest when no best is kept). Returns the run and
    /// the checkpoint.</summary>
    public static (RunDirectory run, string checkpoint) OfCheckpointOrRun(string argument)
    {
        var full = System.IO.Path.GetFullPath(argument.TrimEnd('/', '\\'));
        if (!Directory.Exists(full)) throw new CliException($"{argument}: no such checkpoint or run directory");
        if (IsRun(full))
        {
            var run = new RunDirectory(full);
            var store = Directory.Exists(run.CheckpointsPath) ? new CheckpointStore(run.CheckpointsPath, cleanUp: false) : null;
            var checkpoint = store?.Best ?? store?.Latest?.path
                ?? throw new CliException($"{argument}: the run has no complete checkpoint yet");
            return (run, checkpoint);
        }
        return (OfCheckpoint(argument), full);
    }

    /// <summary>The run a checkpoint directory (…/checkpoints/step-N or …/checkpoints/best) belongs to.</summary>
    public static RunDirectory OfCheckpoint(string checkpoint)
    {
        var full = System.IO.Path.GetFullPath(checkpoint.TrimEnd('/', '\\'));
        var parent = Directory.GetParent(full)?.Parent?.FullName;
        if (parent is null || !IsRun(parent))
            throw new CliException($"{checkpoint}: not a checkpoint of a run (expected RUN/checkpoints/step-N or RUN/checkpoints/best, with RUN/{ConfigFile})");
        return new RunDirectory(parent);
    }

    public ExperimentConfig LoadConfig() => ConfigLoader.Load(ConfigPath);

    /// <summary>The run's config for reading its data: tokenized with the run's own tokenizer (its tokenizer.json, or
    /// its copies of a pretrained tokenizer's files) where it has one, never with a tokenizer trained anew.</summary>
    public ExperimentConfig WithRunTokenizer(ExperimentConfig config) =>
        config with { Tokenizer = TokenizerFactory.WithFilesIn(config.Tokenizer, Path) };

    /// <summary>The run's own tokenizer (what <see cref="WithRunTokenizer"/> names), built without reading any data.</summary>
    public TextTokenizer LoadTokenizer(ExperimentConfig config)
    {
        var tokenizer = WithRunTokenizer(config).Tokenizer;
        return tokenizer is { IsTrained: true, Path: null }
            ? throw new CliException($"{Path}: no {ExperimentData.TokenizerFile} in the run directory")
            : TokenizerFactory.Load(tokenizer);
    }

    public void SaveConfig(ExperimentConfig config) => WriteAtomically(ConfigPath, ConfigWriter.ToYaml(config));

    /// <summary>Writes a file of the run through a temporary sibling and a rename: readers see the old or the new.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { }
            throw EnvironmentException.FileSystem(path, "write", e);
        }
    }
}
