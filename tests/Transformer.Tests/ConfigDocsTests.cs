// docs/config.md documents every key a config file can hold, so the documentation cannot drift from the records.
using System.Text.RegularExpressions;
using Transformer.Configuration;

namespace Transformer.Tests;

public class ConfigDocsTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "config.md"));

    public static TheoryData<string> Keys => new(ConfigSchema.LeafKeys(typeof(ExperimentConfig)));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_bindable_key_is_documented(string key) => Assert.Contains($"`{key}`", Doc);

    [Fact]
    public void Every_key_the_doc_lists_exists()
    {
        var valid = ConfigSchema.LeafKeys(typeof(ExperimentConfig)).ToHashSet();
        var listed = Regex.Matches(Doc, @"^\| `([a-z_.]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, key => Assert.Contains(key, valid));
    }

    [Fact]
    public void The_key_list_covers_sections_and_every_model_kind()
    {
        var keys = ConfigSchema.LeafKeys(typeof(ExperimentConfig));
        Assert.Contains("model.kind", keys);
        Assert.Contains("model.d_ff", keys);
        Assert.Contains("model.source_vocab_size", keys);
        Assert.Contains("model.num_classes", keys);
        Assert.Contains("training.optimizer.betas", keys);
        Assert.Contains("training.early_stopping.patience", keys);
        Assert.DoesNotContain("model.has_final_norm", keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
