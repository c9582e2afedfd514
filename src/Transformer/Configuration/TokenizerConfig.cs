// tokenizer: how text becomes token ids. A placeholder the tokenizer work extends.
namespace Transformer.Configuration;

/// <summary>The tokenizer: trained on data.train, or loaded from path.</summary>
public sealed record TokenizerConfig
{
    /// <summary>bpe (byte-level), char or word. Default bpe.</summary>
    public TokenizerKind Kind { get; init; } = TokenizerKind.Bpe;
    /// <summary>Vocabulary size to train, special tokens included. Default 8000.</summary>
    public int VocabSize { get; init; } = 8000;
    /// <summary>Fewest occurrences of a merge (bpe) or symbol (char, word) to enter the vocabulary. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;
    /// <summary>An existing tokenizer.json to load instead of training one, or null. Default null.</summary>
    public string? Path { get; init; }
    /// <summary>Lower-case text before tokenizing. Default false.</summary>
    public bool Lowercase { get; init; }

    /// <summary>The four special tokens every trained kind starts with (pad, bos, eos, unk).</summary>
    public const int SpecialTokens = 4;

    /// <summary>The smallest vocabulary a kind can train: its special tokens, and the 256 byte tokens of a byte-level BPE.</summary>
    public static int MinimumVocabSize(TokenizerKind kind) => kind == TokenizerKind.Bpe ? SpecialTokens + 256 : SpecialTokens + 1;

    public void Validate()
    {
        if (VocabSize < MinimumVocabSize(Kind))
            throw new ConfigException("tokenizer.vocab_size", VocabSize, $"at least {MinimumVocabSize(Kind)} for a {Kind.ToString().ToLowerInvariant()} tokenizer"
                + (Kind == TokenizerKind.Bpe ? " (256 byte tokens and 4 special tokens)" : " (4 special tokens and one more)"));
        ConfigCheck.Positive("tokenizer.min_frequency", MinFrequency);
        ConfigCheck.Path("tokenizer.path", Path);
    }
}
