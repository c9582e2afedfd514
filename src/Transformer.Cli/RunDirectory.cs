// A run directory: config.yaml (resolved), metrics.jsonl, checkpoints/step-N and checkpoints/best.
// Given any checkpoint directory, the run is two levels up; that is how evaluate/generate/info find
// the config from a checkpoint alone.
using Transformer.Configuration;

namespace Transformer.Cli;

internal sealed record RunDirectory(string Path)
{
    public const string ConfigFile = "config.yaml";

    public string ConfigPath => System.IO.Path.Combine(Path, ConfigFile);
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>runs/NAME-yyyyMMdd-HHmmss under the current directory, unless a directory is given.</summary>
    public static RunDirectory Create(string? requested, string experimentName)
    {
        var path = requested ?? System.IO.Path.Combine("runs", $"{experimentName}-{DateTime.Now:yyyyMMdd-HHmmss}");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new CliException($"{path}: run directory is not empty; use --resume {path} to continue it, or choose another --run-dir");
        Directory.CreateDirectory(path);
        var probe = System.IO.Path.Combine(path, ".write-test");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: run directory is not writable ({e.Message})");
        }
        return new RunDirectory(System.IO.Path.GetFullPath(path));
    }

    public static RunDirectory Existing(string path)
    {
        var run = new RunDirectory(System.IO.Path.GetFullPath(path));
        if (!File.Exists(run.ConfigPath)) throw new CliException($"{path}: not a run directory (no {ConfigFile})");
        return run;
    }

    /// <summary>The run a checkpoint directory (…/checkpoints/step-N or …/checkpoints/best) belongs to.</summary>
    public static RunDirectory OfCheckpoint(string checkpoint)
    {
        var full = System.IO.Path.GetFullPath(checkpoint.TrimEnd('/'));
        var parent = Directory.GetParent(full)?.Parent?.FullName
            ?? throw new CliException($"{checkpoint}: not a checkpoint directory (expected RUN/checkpoints/step-N)");
        if (!File.Exists(System.IO.Path.Combine(parent, ConfigFile)))
            throw new CliException($"{checkpoint}: not a checkpoint of a run (no {ConfigFile} in {parent})");
        return new RunDirectory(parent);
    }

    public ExperimentConfig LoadConfig() => ConfigLoader.Load(ConfigPath);

    public void SaveConfig(ExperimentConfig config)
    {
        var temporary = ConfigPath + ".tmp";
        File.WriteAllText(temporary, ConfigWriter.ToYaml(config));
        File.Move(temporary, ConfigPath, overwrite: true);
    }
}

/// <summary>A user-facing error: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
