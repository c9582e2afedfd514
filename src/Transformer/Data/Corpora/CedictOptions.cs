// Split sizes of the CC-CEDICT conversion, in headwords (simplified forms): every entry of a headword
// shares its split.
namespace Transformer.Data.Corpora;

public sealed record CedictOptions
{
    /// <summary>Headwords (distinct simplified forms) in test.tsv; each has at least one row, so the test
    /// split holds at least this many entries. Default 5,000.</summary>
    public int TestHeadwords { get; init; } = 5_000;

    /// <summary>Headwords in valid.tsv; the rest go to train.tsv. Default 3,000.</summary>
    public int ValidHeadwords { get; init; } = 3_000;
}
