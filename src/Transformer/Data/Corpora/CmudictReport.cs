// What the CMUdict conversion kept, dropped and split.
namespace Transformer.Data.Corpora;

public sealed record CmudictReport : CorpusReport
{
    /// <summary>Dictionary lines read (comments and blank lines excluded).</summary>
    public int Entries { get; init; }

    /// <summary>Lines starting with ";;;" (CMUdict's comment convention).</summary>
    public int CommentLines { get; init; }

    public int KeptEntries { get; init; }

    /// <summary>Dropped lines by reason (the word is not letters and apostrophes only).</summary>
    public IReadOnlyDictionary<string, int> DroppedEntries { get; init; } = new Dictionary<string, int>();

    /// <summary>Distinct words kept (lowercased, alternate markers removed).</summary>
    public int KeptWords { get; init; }

    /// <summary>Distinct words dropped, by reason.</summary>
    public IReadOnlyDictionary<string, int> DroppedWords { get; init; } = new Dictionary<string, int>();

    /// <summary>Alternate pronunciations of a word that became identical once stress was stripped
    /// (merged into one row).</summary>
    public int DuplicatePronunciationsMerged { get; init; }

    /// <summary>Output rows: one per distinct (word, pronunciation).</summary>
    public int Rows { get; init; }

    /// <summary>Words with more than one pronunciation in the output.</summary>
    public int WordsWithAlternates { get; init; }

    /// <summary>The phoneme inventory (data/phones.txt, or CMUdict's 39 ARPAbet phonemes); every
    /// phoneme of the dictionary, stress stripped, must be in it.</summary>
    public int PhonemeInventorySize { get; init; }

    /// <summary>The distinct phonemes in the output, stress stripped (39 on the real dictionary).</summary>
    public IReadOnlyList<string> Phonemes { get; init; } = [];

    /// <summary>Distinct letters (graphemes) in the output words, apostrophe included.</summary>
    public int Graphemes { get; init; }

    public IReadOnlyList<CmudictSplit> Splits { get; init; } = [];

    public override IReadOnlyList<string> Describe() =>
    [
        $"cmudict: {N(Entries)} entries ({N(CommentLines)} comment lines skipped); kept {N(KeptEntries)} entries, " +
        $"dropped {N(DroppedEntries.Values.Sum())} ({Reasons(DroppedEntries)})",
        $"words: kept {N(KeptWords)}, dropped {N(DroppedWords.Values.Sum())} ({Reasons(DroppedWords)}); " +
        $"{N(WordsWithAlternates)} words with alternates; {N(DuplicatePronunciationsMerged)} pronunciations identical without stress merged",
        $"rows: {N(Rows)}; phonemes: {Phonemes.Count} seen of an inventory of {PhonemeInventorySize}; graphemes: {Graphemes}",
        .. Splits.Select(s => $"{s.Name}: {N(s.Words)} words, {N(s.Rows)} rows"),
    ];
}
