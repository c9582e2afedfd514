// What a conversion did: counts, what was kept and dropped and why, vocabulary sizes, split sizes.
// Stored in the output's stamp.json, so a conversion found up to date returns the report of the run
// that made the files.
using System.Text.Json.Serialization;

namespace Transformer.Data.Corpora;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CmudictReport), "cmudict")]
[JsonDerivedType(typeof(BrownReport), "brown")]
[JsonDerivedType(typeof(SpamAssassinReport), "spamassassin")]
[JsonDerivedType(typeof(SpamPretrainReport), "spam-pretrain")]
[JsonDerivedType(typeof(CedictReport), "cedict")]
public abstract record CorpusReport
{
    /// <summary>The corpus name (cmudict, brown, spamassassin, spam-pretrain, cedict).</summary>
    public string Corpus { get; init; } = "";

    /// <summary>The seed the splits were drawn with.</summary>
    public int Seed { get; init; }

    /// <summary>True when the outputs were already up to date and nothing was converted.</summary>
    public bool UpToDate { get; init; }

    /// <summary>The report as human-readable lines (for the CLI and data/README.md).</summary>
    public abstract IReadOnlyList<string> Describe();

    private protected static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private protected static string Reasons(IReadOnlyDictionary<string, int> reasons) =>
        reasons.Count == 0 ? "none" : string.Join(", ", reasons.Select(r => $"{r.Key} {N(r.Value)}"));
}
