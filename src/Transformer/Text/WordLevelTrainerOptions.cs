// Settings for learning a word-level vocabulary.
namespace Transformer.Text;

/// <summary>
/// How <see cref="WordLevelTokenizer.TrainWords"/> learns: the special tokens get ids 0, 1, …; then every
/// word seen at least <see cref="MinFrequency"/> times, most frequent first (ties in ordinal order),
/// up to <see cref="VocabSize"/> tokens in all. Words are cut at whitespace (Hugging Face's
/// WhitespaceSplit), or also around punctuation (Whitespace: \w+|[^\w\s]+) with <see cref="SplitPunctuation"/>.
/// </summary>
public sealed record WordLevelTrainerOptions
{
    public int MinFrequency { get; init; } = 1;

    /// <summary>The largest vocabulary, special tokens included; null: no limit.</summary>
    public int? VocabSize { get; init; }

    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<pad>", "<bos>", "<eos>", "<unk>"];

    /// <summary>The special token unknown words become; must be one of <see cref="SpecialTokens"/>.</summary>
    public string UnkToken { get; init; } = "<unk>";

    /// <summary>Lowercase the text first (a Lowercase normalizer).</summary>
    public bool Lowercase { get; init; }

    /// <summary>Cut punctuation from words ("end." → "end", ".").</summary>
    public bool SplitPunctuation { get; init; }

    internal void Validate() => WordLevelTrainer.Check(SpecialTokens, UnkToken, MinFrequency, VocabSize);
}
