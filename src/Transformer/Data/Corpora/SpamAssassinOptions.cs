// The SpamAssassin split: stratified by label, 80/10/10 by default.
namespace Transformer.Data.Corpora;

public sealed record SpamAssassinOptions
{
    /// <summary>Fraction of each label's messages in valid.tsv (rounded half away from zero).</summary>
    public double ValidFraction { get; init; } = 0.1;

    /// <summary>Fraction of each label's messages in test.tsv; the rest go to train.tsv.</summary>
    public double TestFraction { get; init; } = 0.1;

    /// <summary>Start each example with the message's decoded Subject header ("Subject: … body"). Duplicates
    /// are still found by body alone, so the split holds the same messages either way.</summary>
    public bool IncludeSubject { get; init; }
}
