// Settings for learning a character-level vocabulary.
namespace Transformer.Text;

/// <summary>
/// How <see cref="WordLevelTokenizer.TrainCharacters"/> learns: the special tokens get ids 0, 1, …; then
/// every character (Unicode code point; whitespace included) seen at least <see cref="MinFrequency"/>
/// times, most frequent first (ties in ordinal order), up to <see cref="VocabSize"/> tokens in all.
/// </summary>
public sealed record CharLevelTrainerOptions
{
    public int MinFrequency { get; init; } = 1;

    /// <summary>The largest vocabulary, special tokens included; null: no limit.</summary>
    public int? VocabSize { get; init; }

    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<pad>", "<bos>", "<eos>", "<unk>"];

    /// <summary>The special token unknown characters become; must be one of <see cref="SpecialTokens"/>.</summary>
    public string UnkToken { get; init; } = "<unk>";

    internal void Validate() => WordLevelTrainer.Check(SpecialTokens, UnkToken, MinFrequency, VocabSize);
}
