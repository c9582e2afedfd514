// tokenizer.from: a run's tokenizer, reused. The section becomes the one the run trained with, pointed at the copies
// of its files the run keeps, so a fine-tuning run (or a from-scratch baseline) turns text into exactly the run's ids
// and its data is prepared under that tokenizer (the prepared shards record its hash).
using Transformer.Configuration;

namespace Transformer.Training;

public static class RunTokenizer
{
    /// <summary>The file that makes a directory a run: its resolved config.</summary>
    public const string RunConfigFile = "config.yaml";

    /// <summary><paramref name="config"/> with tokenizer.from replaced by that run's tokenizer section (its files in the
    /// run directory); unchanged without tokenizer.from. Problems are ConfigExceptions on tokenizer.from.</summary>
    public static ExperimentConfig Resolve(ExperimentConfig config)
    {
        if (config.Tokenizer.From is not { } from) return config;
        var run = RunOf(from);
        ExperimentConfig source;
        try
        {
            source = ConfigLoader.Load(Path.Combine(run, RunConfigFile));
        }
        catch (ConfigException e)
        {
            throw new ConfigException("tokenizer.from", from, $"a run whose {RunConfigFile} loads ({e.Message})");
        }
        var tokenizer = TokenizerFactory.WithFilesIn(source.Tokenizer, run);
        if (tokenizer.IsTrained && !(tokenizer.Path is { } path && File.Exists(path)))
            throw new ConfigException("tokenizer.from", from, $"a run that kept its tokenizer ({Path.Combine(run, TokenizerFactory.TokenizerJson)} is missing: did the run start training?)");
        return config with { Tokenizer = tokenizer };
    }

    /// <summary>A run directory, or the run a checkpoint (RUN/checkpoints/step-N, RUN/checkpoints/best) belongs to.</summary>
    private static string RunOf(string from)
    {
        var path = from.TrimEnd('/', '\\');
        if (File.Exists(Path.Combine(path, RunConfigFile))) return path;
        var run = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)));
        if (run is not null && Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) == "checkpoints" && File.Exists(Path.Combine(run, RunConfigFile)))
            return Path.IsPathRooted(path) ? run : Path.GetRelativePath(Environment.CurrentDirectory, run);
        throw new ConfigException("tokenizer.from", from, Directory.Exists(path)
            ? $"a run directory (with {RunConfigFile}) or one of its checkpoints"
            : "an existing run directory (with its config.yaml and tokenizer files) or one of its checkpoints");
    }
}
