// What the CC-CEDICT conversion read, cleaned, dropped and split.
namespace Transformer.Data.Corpora;

public sealed record CedictReport : CorpusReport
{
    /// <summary>Entries in data/all.js.</summary>
    public int Entries { get; init; }

    /// <summary>Senses read (an entry's English field split as the package stores it).</summary>
    public int Senses { get; init; }

    /// <summary>Dropped senses by reason (see <see cref="CedictSenses.Reasons"/>).</summary>
    public IReadOnlyDictionary<string, int> DroppedSenses { get; init; } = new Dictionary<string, int>();

    /// <summary>Classifier notes cut out of senses that stay ("knife (CL:把[ba3])" → "knife").</summary>
    public int ClassifierNotesRemoved { get; init; }

    /// <summary>Cross-references inside kept senses reduced to their simplified form ("宝鸡|寶雞[Bao3 ji1]" → "宝鸡").</summary>
    public int CrossReferencesRewritten { get; init; }

    /// <summary>Identical senses of one entry merged after cleaning.</summary>
    public int DuplicateSensesMerged { get; init; }

    /// <summary>Entries left with no sense (every sense dropped, or none to begin with): not written.</summary>
    public int DroppedEntries { get; init; }

    /// <summary>Entries written (at least one sense).</summary>
    public int KeptEntries { get; init; }

    /// <summary>Distinct simplified headwords written.</summary>
    public int Headwords { get; init; }

    /// <summary>Kept entries whose gloss equals another kept entry's of the same headword (merged into one row).</summary>
    public int DuplicateGlossesMerged { get; init; }

    /// <summary>Output rows: one per distinct (headword, gloss).</summary>
    public int Rows { get; init; }

    /// <summary>Headwords with more than one gloss (several entries: other readings, other traditional forms).</summary>
    public int HeadwordsWithAlternates { get; init; }

    /// <summary>Headwords of one character.</summary>
    public int SingleCharacterHeadwords { get; init; }

    /// <summary>The longest gloss, in characters.</summary>
    public int LongestGloss { get; init; }

    public IReadOnlyList<CedictSplit> Splits { get; init; } = [];

    public override IReadOnlyList<string> Describe() =>
    [
        $"cedict: {N(Entries)} entries, {N(Senses)} senses; dropped {N(DroppedSenses.Values.Sum())} senses ({Reasons(DroppedSenses)}); " +
        $"{N(ClassifierNotesRemoved)} classifier notes cut, {N(CrossReferencesRewritten)} cross-references reduced to the simplified form, " +
        $"{N(DuplicateSensesMerged)} duplicate senses merged",
        $"entries: kept {N(KeptEntries)}, dropped {N(DroppedEntries)} (no sense left); headwords: {N(Headwords)} " +
        $"({N(SingleCharacterHeadwords)} of one character, {N(HeadwordsWithAlternates)} with several glosses, {N(DuplicateGlossesMerged)} identical glosses merged)",
        $"rows: {N(Rows)}; longest gloss: {N(LongestGloss)} characters",
        .. Splits.Select(s => $"{s.Name}: {N(s.Headwords)} headwords, {N(s.Rows)} rows"),
    ];
}
