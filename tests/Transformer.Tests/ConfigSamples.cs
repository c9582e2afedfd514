// Small YAML experiments shared by the configuration tests; "configs/x.yaml" is the name errors are located in.
using Transformer.Configuration;

namespace Transformer.Tests;

internal static class ConfigSamples
{
    public const string Source = "configs/x.yaml";

    /// <summary>The smallest valid experiment: a decoder-only model on text.</summary>
    public const string Minimal = """
        name: tiny
        model:
          kind: decoder_only
          vocab_size: 100
        data:
          kind: text
        """;

    public static ExperimentConfig Parse(string yaml, params string[] overrides) => ConfigLoader.Parse(yaml, Source, overrides);

    public static string ErrorOf(string yaml, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Parse(yaml, overrides)).Message;
}
