// tokenizer: how text becomes token ids — trained here (bpe, char, word) or a pretrained one of
// Microsoft.ML.Tokenizers (tiktoken, sentencepiece, wordpiece, bpe from GPT-2's files) — and its special tokens.
namespace Transformer.Configuration;

/// <summary>The tokenizer: trained on data.train, or loaded.</summary>
public sealed record TokenizerConfig
{
    /// <summary>bpe (byte-level; trained, or loaded from vocab + merges), char, word (trained), tiktoken (encoding),
    /// sentencepiece (path: a .model or a Unigram tokenizer.json) or wordpiece (path: BERT's vocab.txt). Default bpe.</summary>
    public TokenizerKind Kind { get; init; } = TokenizerKind.Bpe;
    /// <summary>Vocabulary size to train, special tokens included. Default 8000.</summary>
    public int VocabSize { get; init; } = 8000;
    /// <summary>Fewest occurrences of a merge (bpe) or symbol (char, word) to enter the vocabulary. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;
    /// <summary>bpe, char, word: an existing tokenizer.json to load instead of training one; sentencepiece: the .model
    /// (or Unigram tokenizer.json); wordpiece: vocab.txt. Default null.</summary>
    public string? Path { get; init; }
    /// <summary>Lower-case text before tokenizing (word; wordpiece: BERT's uncased normalization). Default false.</summary>
    public bool Lowercase { get; init; }
    /// <summary>tiktoken only: gpt2, r50k_base, cl100k_base or o200k_base. Default null.</summary>
    public string? Encoding { get; init; }
    /// <summary>bpe only: GPT-2's vocab.json, with merges, to load instead of training. Default null.</summary>
    public string? Vocab { get; init; }
    /// <summary>bpe only: GPT-2's merges.txt, with vocab. Default null.</summary>
    public string? Merges { get; init; }
    /// <summary>The special tokens, by role. Default: each kind's own (see SpecialTokensConfig).</summary>
    public SpecialTokensConfig SpecialTokens { get; init; } = new();
    /// <summary>A run directory (or one of its checkpoints) whose tokenizer to use exactly as it is: that run's tokenizer
    /// section, pointed at the files the run keeps (tokenizer.json, …), so that text becomes the same ids as in that run —
    /// for fine-tuning from it, or a baseline on its tokenizer. Given alone; resolved when the config is loaded, and a
    /// run's config.yaml records the section it resolved to. Default null.</summary>
    public string? From { get; init; }

    /// <summary>The four special tokens every trained kind starts with (pad, bos, eos, unk).</summary>
    public const int TrainedSpecialTokens = 4;

    /// <summary>tokenizer.encoding's values: tiktoken's encodings that Microsoft.ML.Tokenizers ships.</summary>
    public static readonly IReadOnlyList<string> TiktokenEncodings = ["gpt2", "r50k_base", "cl100k_base", "o200k_base"];

    /// <summary>True for the kinds this project trains (and saves as tokenizer.json).</summary>
    public bool IsTrained => Kind is TokenizerKind.Char or TokenizerKind.Word || (Kind == TokenizerKind.Bpe && Vocab is null);

    /// <summary>The smallest vocabulary a kind can train: its special tokens, and the 256 byte tokens of a byte-level BPE.</summary>
    public static int MinimumVocabSize(TokenizerKind kind) => kind == TokenizerKind.Bpe ? TrainedSpecialTokens + 256 : TrainedSpecialTokens + 1;

    public void Validate()
    {
        if (From is not null)
        {
            ConfigCheck.Path("tokenizer.from", From);
            // The run's tokenizer replaces the whole section: a key set beside `from` would be silently ignored.
            var defaults = new TokenizerConfig();
            foreach (var field in ConfigSchema.Fields(typeof(TokenizerConfig)).Where(f => f.Key != "from"))
            {
                var value = field.Property.GetValue(this);
                if (!Equals(value, field.Property.GetValue(defaults)))
                    throw new ConfigException("tokenizer." + field.Key, new ShownValue(Show(value)), "unset when tokenizer.from is set (the run's tokenizer is used as it is)");
            }
            return;
        }
        if (IsTrained && VocabSize < MinimumVocabSize(Kind))
            throw new ConfigException("tokenizer.vocab_size", VocabSize, $"at least {MinimumVocabSize(Kind)} for a {Kind.ToString().ToLowerInvariant()} tokenizer"
                + (Kind == TokenizerKind.Bpe ? " (256 byte tokens and 4 special tokens)" : " (4 special tokens and one more)"));
        ConfigCheck.Positive("tokenizer.min_frequency", MinFrequency);
        ConfigCheck.Path("tokenizer.path", Path);
        ConfigCheck.Path("tokenizer.vocab", Vocab);
        ConfigCheck.Path("tokenizer.merges", Merges);
        var kind = Kind.ToString().ToLowerInvariant();
        if (Kind == TokenizerKind.Tiktoken)
        {
            if (Encoding is null || !TiktokenEncodings.Contains(Encoding))
                throw new ConfigException("tokenizer.encoding", Encoding, string.Join(", ", TiktokenEncodings) + " for a tiktoken tokenizer");
        }
        else if (Encoding is not null)
            throw new ConfigException("tokenizer.encoding", Encoding, $"null: only a tiktoken tokenizer has an encoding (kind is {kind})");
        if (Kind is TokenizerKind.SentencePiece or TokenizerKind.WordPiece && Path is null)
            throw new ConfigException("tokenizer.path", null, Kind == TokenizerKind.SentencePiece
                ? "the SentencePiece .model file (or a Unigram tokenizer.json)" : "the WordPiece vocab.txt");
        if (Kind == TokenizerKind.Tiktoken && Path is not null)
            throw new ConfigException("tokenizer.path", Path, "null for a tiktoken tokenizer (tokenizer.encoding names its vocabulary)");
        if (Kind != TokenizerKind.Bpe && (Vocab ?? Merges) is not null)
            throw new ConfigException(Vocab is not null ? "tokenizer.vocab" : "tokenizer.merges", Vocab ?? Merges, $"null: only a bpe tokenizer loads vocab and merges (kind is {kind})");
        if (Kind == TokenizerKind.Bpe && (Vocab is null) != (Merges is null))
            throw new ConfigException(Vocab is null ? "tokenizer.vocab" : "tokenizer.merges", null, "set together with "
                + (Vocab is null ? "tokenizer.merges (GPT-2's vocab.json)" : "tokenizer.vocab (GPT-2's merges.txt)"));
        if (Kind == TokenizerKind.Bpe && Vocab is not null && Path is not null)
            throw new ConfigException("tokenizer.path", Path, "null when tokenizer.vocab and tokenizer.merges are given");
        SpecialTokens.Validate();
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        SpecialTokensConfig => "set",
        _ => ConfigScalar.Format(value).Text,
    };
}

/// <summary>
/// The special tokens by role, declared once. A token not in the tokenizer's vocabulary is added after it (a new
/// id, reported when the data is prepared). Unset roles take the kind's own: trained kinds &lt;pad&gt; &lt;bos&gt;
/// &lt;eos&gt; &lt;unk&gt;; tiktoken bos = eos = &lt;|endoftext|&gt; and an added &lt;pad&gt;; sentencepiece its
/// &lt;s&gt; &lt;/s&gt; &lt;unk&gt; (and &lt;pad&gt;, added when absent); wordpiece [PAD] [UNK] [CLS] [SEP] [MASK] with
/// bos = [CLS], eos = [SEP]. Every model needs pad, bos and eos.
/// </summary>
public sealed record SpecialTokensConfig
{
    /// <summary>Padding. Default: the kind's own.</summary>
    public string? Pad { get; init; }
    /// <summary>Start of sequence. Default: the kind's own.</summary>
    public string? Bos { get; init; }
    /// <summary>End of sequence. Default: the kind's own.</summary>
    public string? Eos { get; init; }
    /// <summary>Unknown token. Default: the kind's own, if any.</summary>
    public string? Unk { get; init; }
    /// <summary>Separator. Default: the kind's own, if any.</summary>
    public string? Sep { get; init; }
    /// <summary>Classification token. Default: the kind's own, if any.</summary>
    public string? Cls { get; init; }
    /// <summary>Mask token. Default: the kind's own, if any.</summary>
    public string? Mask { get; init; }

    public IEnumerable<(string Role, string? Token)> ByRole() =>
        [("pad", Pad), ("bos", Bos), ("eos", Eos), ("unk", Unk), ("sep", Sep), ("cls", Cls), ("mask", Mask)];

    public void Validate()
    {
        foreach (var (role, token) in ByRole())
            if (token is not null && token.Length == 0) throw new ConfigException($"tokenizer.special_tokens.{role}", token, "a token (non-empty) or null");
    }
}
