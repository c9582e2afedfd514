// Word-level and character-level tokenizers: one id per word (or per character), unknown → the unk token.
namespace Transformer.Text;

/// <summary>
/// A vocabulary of whole pieces: words (cut at whitespace, optionally lowercased) or characters. Both are
/// saved as tokenizer.json with a WordLevel model. The character-level one has the pre-tokenizer
/// {"type": "Split", "pattern": {"String": ""}, "behavior": "Isolated", "invert": false} (every code
/// point is a piece) and the decoder {"type": "Fuse"} (pieces concatenated); the word-level one has a
/// WhitespaceSplit (or Whitespace) pre-tokenizer and no decoder, so decoding joins words with spaces.
/// </summary>
public sealed class WordLevelTokenizer : Tokenizer
{
    internal WordLevelTokenizer(TokenizerPipeline pipeline, WordLevelModel model) : base(pipeline, model) => WordLevel = model;

    internal WordLevelModel WordLevel { get; }

    /// <summary>The model's vocabulary (token → id).</summary>
    public IReadOnlyDictionary<string, int> Vocab => WordLevel.Vocab;

    /// <summary>Learns a word-level vocabulary from <paramref name="texts"/>.</summary>
    public static WordLevelTokenizer TrainWords(IEnumerable<string> texts, WordLevelTrainerOptions? options = null) =>
        WordLevelTrainer.TrainWords(texts, options ?? new WordLevelTrainerOptions());

    /// <summary>Learns a character-level vocabulary (Unicode code points) from <paramref name="texts"/>.</summary>
    public static WordLevelTokenizer TrainCharacters(IEnumerable<string> texts, CharLevelTrainerOptions? options = null) =>
        WordLevelTrainer.TrainCharacters(texts, options ?? new CharLevelTrainerOptions());
}
