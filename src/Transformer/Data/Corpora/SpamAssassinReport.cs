// What the SpamAssassin conversion read, decoded, removed and split.
namespace Transformer.Data.Corpora;

public sealed record SpamAssassinReport : CorpusReport
{
    /// <summary>Messages listed in data/file_list.json.</summary>
    public int Messages { get; init; }

    /// <summary>Listed messages by the package's group (easy-ham-1, spam-2, …).</summary>
    public IReadOnlyDictionary<string, int> MessagesByGroup { get; init; } = new Dictionary<string, int>();

    /// <summary>Messages whose top level is multipart.</summary>
    public int Multipart { get; init; }

    public int QuotedPrintableParts { get; init; }
    public int Base64Parts { get; init; }

    /// <summary>Bodies or parts kept undecoded (no boundary, base64 that does not decode, non-text only).</summary>
    public int KeptRaw { get; init; }

    /// <summary>Messages dropped because their body is empty once whitespace is collapsed.</summary>
    public int EmptyBodies { get; init; }

    /// <summary>Messages dropped because an earlier message (file_list order) has the same body text.</summary>
    public int DuplicatesRemoved { get; init; }

    /// <summary>Of those, duplicates whose kept copy has the other label.</summary>
    public int DuplicatesAcrossLabels { get; init; }

    /// <summary>Messages whose undecoded body (the bytes after the header block) repeats an earlier one:
    /// fewer than <see cref="DuplicatesRemoved"/>, since the same text in differently encoded or
    /// differently delimited MIME parts is a duplicate only once decoded.</summary>
    public int RawBodyDuplicates { get; init; }

    public int KeptSpam { get; init; }
    public int KeptHam { get; init; }

    public IReadOnlyList<SpamAssassinSplit> Splits { get; init; } = [];

    public override IReadOnlyList<string> Describe() =>
    [
        $"spamassassin: {N(Messages)} messages ({string.Join(", ", MessagesByGroup.Select(g => $"{g.Key} {N(g.Value)}"))})",
        $"decoding: {N(Multipart)} multipart, {N(QuotedPrintableParts)} quoted-printable parts, {N(Base64Parts)} base64 parts, {N(KeptRaw)} kept raw",
        $"dropped: {N(EmptyBodies)} without text, {N(DuplicatesRemoved)} repeating an earlier body ({N(DuplicatesAcrossLabels)} across labels; " +
        $"{N(RawBodyDuplicates)} with byte-identical undecoded bodies)",
        $"kept: {N(KeptSpam + KeptHam)} ({N(KeptSpam)} spam, {N(KeptHam)} ham)",
        .. Splits.Select(s => $"{s.Name}: {N(s.Messages)} messages ({N(s.Spam)} spam, {N(s.Ham)} ham)"),
    ];
}
