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

    public void Validate()
    {
        ConfigCheck.Positive("tokenizer.vocab_size", VocabSize);
        ConfigCheck.Positive("tokenizer.min_frequency", MinFrequency);
        ConfigCheck.Path("tokenizer.path", Path);
    }
}
