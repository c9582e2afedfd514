// Split sizes of the CMUdict conversion, in words (all pronunciations of a word share its split).
namespace Transformer.Data.Corpora;

public sealed record CmudictOptions
{
    /// <summary>Words in test.tsv: 12,000, the size of the standard Sequitur (Bisani &amp; Ney) test set.</summary>
    public int TestWords { get; init; } = 12_000;

    /// <summary>Words in valid.tsv; the rest go to train.tsv.</summary>
    public int ValidWords { get; init; } = 3_000;

    /// <summary>Write each word as space-separated letters ("h e l l o"), so that one whitespace word-level
    /// tokenizer covers both sides: lowercase letters in, uppercase phonemes out. Default true.</summary>
    public bool SpellOutWords { get; init; } = true;
}
