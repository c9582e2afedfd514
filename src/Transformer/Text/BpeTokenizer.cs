// Byte-level BPE (GPT-2 style): trainable, loadable from GPT-2's vocab.json + merges.txt or tokenizer.json.
namespace Transformer.Text;

/// <summary>
/// Byte-level byte-pair encoding: GPT-2's pre-tokenization regex, each piece spelled as UTF-8 bytes in
/// GPT-2's byte alphabet, merges applied by rank. Every string round-trips exactly through
/// Encode/Decode (unpaired UTF-16 surrogates, which are not valid Unicode, come back as U+FFFD).
/// </summary>
public sealed class BpeTokenizer : Tokenizer
{
    internal BpeTokenizer(TokenizerPipeline pipeline, BpeModel model) : base(pipeline, model) => Bpe = model;

    internal BpeModel Bpe { get; }

    /// <summary>The merges in rank order (rank 0 is applied first).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => Bpe.Merges;

    /// <summary>The model's vocabulary (token → id), added tokens not in it excluded.</summary>
    public IReadOnlyDictionary<string, int> Vocab => Bpe.Vocab;

    /// <summary>
    /// Learns a byte-level BPE vocabulary from <paramref name="texts"/> (each text is pre-tokenized on its
    /// own; see <see cref="BpeTrainerOptions"/> for the algorithm and its tie rule).
    /// </summary>
    public static BpeTokenizer Train(IEnumerable<string> texts, BpeTrainerOptions? options = null) =>
        BpeTrainer.Train(texts, options ?? new BpeTrainerOptions());

    /// <summary>Trains on text files (UTF-8), read line by line with line endings kept.</summary>
    public static BpeTokenizer TrainFromFiles(IEnumerable<string> paths, BpeTrainerOptions? options = null) =>
        Train(TextLines.Read(paths), options);

    /// <summary>
    /// Loads GPT-2's vocab.json and merges.txt (with or without the "#version" header). "&lt;|endoftext|&gt;",
    /// when in the vocabulary, becomes a special added token, as in Hugging Face's GPT-2 tokenizer.
    /// </summary>
    /// <exception cref="TokenizerFormatException">A malformed file; names file:line for merges.txt.</exception>
    public static BpeTokenizer FromGpt2Files(string vocabJsonPath, string mergesTxtPath) =>
        Gpt2Files.Load(vocabJsonPath, mergesTxtPath);

    /// <summary>Writes GPT-2's two files (vocab.json, merges.txt), as <see cref="FromGpt2Files"/> and the library's
    /// <see cref="Microsoft.ML.Tokenizers.BpeTokenizer"/> read them. Merges with a space in a token cannot be written.</summary>
    public void SaveGpt2Files(string vocabJsonPath, string mergesTxtPath) => Gpt2Files.Write(this, vocabJsonPath, mergesTxtPath);

    internal static TokenizerPipeline ByteLevelPipeline(IEnumerable<AddedToken> addedTokens, bool addPrefixSpace) => new(
        addedTokens,
        normalizer: null,
        new ByteLevelPreTokenizer(new ByteLevelSettings(addPrefixSpace, TrimOffsets: true, UseRegex: true)),
        new ByteLevelDecoder(new ByteLevelSettings(AddPrefixSpace: true, TrimOffsets: true, UseRegex: true)));
}
