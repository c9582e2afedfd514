// Every experiment file under configs/ loads and validates as shipped; one that takes its tokenizer from another
// run (tokenizer.from) names that run in its one error line until the run exists.
using Transformer.Configuration;

namespace Transformer.Tests;

public sealed class ShippedConfigTests
{
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "configs"), "*.yaml").Order())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_shipped_config_loads_or_names_the_run_it_starts_from(string name)
    {
        var path = Path.Combine(RepositoryRoot.Path, "configs", name);
        var text = File.ReadAllText(path);
        var from = System.Text.RegularExpressions.Regex.Match(text, @"tokenizer:\s*\{\s*from:\s*([^\s}]+)");
        var run = from.Success ? Path.Combine(RepositoryRoot.Path, from.Groups[1].Value) : null;
        if (run is not null && !Directory.Exists(run))
        {
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
            Assert.Contains($"tokenizer.from: '{from.Groups[1].Value}' — expected an existing run directory", e.Message);
            return;
        }
        // A run that exists (a sweep left it in the repository) is named by its absolute path: the test's working
        // directory is not the repository root the config's relative path is written for.
        var config = run is null ? ConfigLoader.Load(path) : ConfigLoader.Load(path, [$"tokenizer.from={run}"]);
        Assert.Equal(Path.GetFileNameWithoutExtension(name), config.Name);
    }
}
