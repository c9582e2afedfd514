// Loads an experiment: YAML file → --set overrides → typed records → Validate() → tokenizer.from resolved to that run's
// tokenizer; every error located at file:line.
namespace Transformer.Configuration;

public static class ConfigLoader
{
    /// <summary>Reads, binds and validates the experiment at <paramref name="path"/>, after applying
    /// <paramref name="overrides"/> (each "dotted.key=value", value in YAML syntax) in order. Every problem is a
    /// <see cref="ConfigException"/> whose message starts with "path:line" (or "--set").</summary>
    public static ExperimentConfig Load(string path, IEnumerable<string>? overrides = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException("config", path, $"a readable YAML file ({e.Message})");
        }
        return Parse(text, path, overrides);
    }

    /// <summary>As <see cref="Load"/>, for YAML text; <paramref name="source"/> names it in messages.</summary>
    public static ExperimentConfig Parse(string yaml, string source, IEnumerable<string>? overrides = null)
    {
        var document = ConfigDocument.Parse(yaml, source);
        ConfigOverrides.Apply(document, overrides ?? []);
        var (config, locations) = ConfigBinder.Bind<ExperimentConfig>(document);
        try
        {
            config.Validate();
            config = Training.RunTokenizer.Resolve(config);
        }
        catch (ConfigException e) when (IsUnlocated(e))
        {
            throw Located(e, locations.Find(e.Key));
        }
        return config;
    }

    private static bool IsUnlocated(ConfigException e) =>
        e.Message.StartsWith(e.Key + ": ", StringComparison.Ordinal) && e.Message.EndsWith(" — expected " + e.Expected, StringComparison.Ordinal);

    // Validate() knows the key but not the line: rebuild the message with the key's location in front.
    private static ConfigException Located(ConfigException e, string location)
    {
        var prefix = e.Key + ": ";
        var suffix = " — expected " + e.Expected;
        var shown = e.Message[prefix.Length..^suffix.Length];
        return new ConfigException(e.Key, new ShownValue(shown), e.Expected, location);
    }
}
