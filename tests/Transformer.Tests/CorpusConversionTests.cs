// The entry point: names, the up-to-date stamp (re-running with unchanged inputs does nothing), reports
// kept in the stamp, and the way files are written.
using System.Text.Json;
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusConversionTests
{
    private static readonly BrownConverter Brown = new(new BrownOptions { TrainWords = 3, ValidWords = 2, UnkMaxCount = 0 });

    private static void WriteBrown(CorpusTempDir dir)
    {
        dir.Write("raw/brown/cats.txt", "ca01 news\n");
        dir.Write("raw/brown/ca01", "\n\n\tThe/at jury/nn said/vbd ./.\n\n\n\tIt/pps was/bedz over/rb ./.\n");
    }

    private static Dictionary<string, DateTime> Times(CorpusTempDir dir, string folder) =>
        Directory.GetFiles(dir[folder]).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    private static void Age(CorpusTempDir dir, string folder)
    {
        foreach (var file in Directory.GetFiles(dir[folder])) File.SetLastWriteTimeUtc(file, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Converting_again_with_unchanged_inputs_does_nothing_and_returns_the_stored_report()
    {
        using var dir = new CorpusTempDir();
        WriteBrown(dir);
        var first = CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        Assert.False(first.UpToDate);
        Assert.True(File.Exists(dir["out/brown/stamp.json"]));
        Age(dir, "out/brown");
        var before = Times(dir, "out/brown");

        var second = CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        Assert.True(second.UpToDate);
        Assert.Equal(JsonSerializer.Serialize(first with { UpToDate = true }), JsonSerializer.Serialize(second));
        Assert.Equal(before, Times(dir, "out/brown"));
    }

    public static TheoryData<string> Changes => new() { "input", "seed", "output", "stamp", "force", "options" };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_changed_input_seed_option_or_output_converts_again(string change)
    {
        using var dir = new CorpusTempDir();
        WriteBrown(dir);
        CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        Age(dir, "out/brown");
        int seed = 5;
        var force = false;
        var converter = Brown;
        switch (change)
        {
            case "input": File.AppendAllText(dir["raw/brown/ca01"], "\n\tMore/ap ./.\n"); break;
            case "seed": seed = 6; break;
            case "output": File.AppendAllText(dir["out/brown/train.txt"], "edited\n"); break;
            case "stamp": File.WriteAllText(dir["out/brown/stamp.json"], "{ not json"); break;
            case "force": force = true; break;
            case "options": converter = new BrownConverter(Brown.Options with { UnkMaxCount = 1 }); break;
        }
        var report = CorpusConversions.Convert(converter, dir["raw/brown"], dir["out/brown"], seed, force);
        Assert.False(report.UpToDate);
        Assert.Equal(seed, report.Seed);
        Assert.True(File.GetLastWriteTimeUtc(dir["out/brown/train.txt"]).Year > 2001);
        Assert.Equal(["The jury said"], dir.Lines("out/brown/train.txt"));
        Assert.True(CorpusConversions.Convert(converter, dir["raw/brown"], dir["out/brown"], seed).UpToDate);
    }

    [Fact]
    public void The_stamp_records_inputs_outputs_and_the_report()
    {
        using var dir = new CorpusTempDir();
        WriteBrown(dir);
        CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        using var stamp = JsonDocument.Parse(File.ReadAllText(dir["out/brown/stamp.json"]));
        var key = stamp.RootElement.GetProperty("key");
        Assert.Equal("brown", key.GetProperty("corpus").GetString());
        Assert.Equal(2, key.GetProperty("inputFiles").GetInt32()); // cats.txt and ca01
        Assert.Equal(64, key.GetProperty("inputsSha256").GetString()!.Length);
        Assert.Equal(["train.txt", "valid.txt", "test.txt", "vocab.txt"], stamp.RootElement.GetProperty("outputs").EnumerateObject().Select(p => p.Name));
        Assert.Equal("brown", stamp.RootElement.GetProperty("report").GetProperty("kind").GetString());
        Assert.Equal(8, stamp.RootElement.GetProperty("report").GetProperty("tokens").GetInt32());
    }

    [Fact]
    public void A_failed_conversion_leaves_no_stamp_so_the_next_run_converts()
    {
        using var dir = new CorpusTempDir();
        WriteBrown(dir);
        CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        File.WriteAllText(dir["raw/brown/ca01"], "\tbroken\n");
        Assert.Throws<CorpusFormatException>(() => CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5));
        Assert.False(File.Exists(dir["out/brown/stamp.json"]));
    }

    [Fact]
    public void Corpora_are_named_and_an_unknown_name_is_a_clear_error()
    {
        Assert.Equal(["cmudict", "brown", "spamassassin", "cedict"], CorpusConversions.Names);
        Assert.All(CorpusConversions.Names, n => Assert.Equal(n, CorpusConversions.Create(n).Name));
        var e = Assert.Throws<ConfigException>(() => CorpusConversions.Create("wikitext"));
        Assert.Equal("corpus: 'wikitext' — expected one of cmudict, brown, spamassassin, cedict", e.Message);
        using var dir = new CorpusTempDir();
        var missing = Assert.Throws<CorpusFormatException>(() => CorpusConversions.Convert("brown", dir["raw"], dir["out"], 1));
        Assert.Equal($"{dir["raw/brown"]}: missing — expected the unpacked package folder (run scripts/fetch-data.sh)", missing.Message);
    }

    [Fact]
    public void The_raw_folder_may_hold_the_package_folder_of_a_plain_tar_extraction()
    {
        using var dir = new CorpusTempDir();
        dir.Write("raw/brown/package/package.json", "{}");
        dir.Write("raw/brown/package/cats.txt", "ca01 news\n");
        dir.Write("raw/brown/package/ca01", "\tThe/at jury/nn said/vbd ./.\n\tIt/pps was/bedz over/rb ./.\n");
        var report = (BrownReport)CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5);
        Assert.Equal(8, report.Tokens);
    }

    [Fact]
    public void Reports_describe_themselves_in_lines()
    {
        using var dir = new CorpusTempDir();
        WriteBrown(dir);
        var lines = CorpusConversions.Convert(Brown, dir["raw/brown"], dir["out/brown"], seed: 5).Describe();
        Assert.Equal("brown: 1 files, 2 sentences, 8 tokens (0 with '/' in the word)", lines[0]);
        Assert.Contains("train: 3 tokens, 1 lines", lines);
    }
}
