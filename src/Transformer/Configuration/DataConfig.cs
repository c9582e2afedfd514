// data: where the examples are. A placeholder the data pipeline extends (sources, formats, filters).
namespace Transformer.Configuration;

/// <summary>The data splits. Paths are read by the data pipeline; this section only names them.</summary>
public sealed record DataConfig
{
    /// <summary>pairs (encoder_decoder), text (decoder_only) or labeled (encoder_classifier); must suit
    /// model.kind. Default pairs.</summary>
    public DataKind Kind { get; init; } = DataKind.Pairs;
    /// <summary>A built-in dataset generated in memory instead of files: `reverse` (the default experiment,
    /// sequence reversal), or null. Default null.</summary>
    public string? Builtin { get; init; }
    /// <summary>A public corpus fetched by scripts/fetch-data.sh into data/raw and converted by the framework into
    /// data/corpora/NAME (train/valid/test): cmudict, brown, spamassassin or cedict; it sets the split paths. spam-pretrain is made
    /// from brown and spamassassin (both fetched): Brown's text and the SpamAssassin training split's message bodies, for
    /// pre-training a masked language model (data.kind text). Default null.</summary>
    public string? Corpus { get; init; }
    /// <summary>Path of the training split, or null. Default null.</summary>
    public string? Train { get; init; }
    /// <summary>Path of the validation split, or null (no evaluation). Default null.</summary>
    public string? Valid { get; init; }
    /// <summary>Path of the test split, or null. Default null.</summary>
    public string? Test { get; init; }
    /// <summary>Directory of the prepared (tokenized, sharded) data. Default data/prepared.</summary>
    public string PreparedDir { get; init; } = "data/prepared";
    /// <summary>Text (language models): start each epoch's training windows at a random offset, so the stream is cut
    /// at other places every epoch. Default false.</summary>
    public bool RandomOffset { get; init; }
    /// <summary>Text: validation and test windows start every this many tokens and score only targets not scored
    /// before, so each has at least (block − stride) tokens of context; null means the block size. Default null.</summary>
    public int? EvalStride { get; init; }
    /// <summary>spamassassin: start each example with the message's decoded Subject header. Default false.</summary>
    public bool IncludeSubject { get; init; }

    public static readonly string[] Builtins = { "reverse" };
    public static readonly string[] Corpora = { "cmudict", "brown", "spamassassin", "spam-pretrain", "cedict" };

    public void Validate()
    {
        if (Builtin is not null && !Builtins.Contains(Builtin))
            throw new ConfigException("data.builtin", Builtin, $"one of: {string.Join(", ", Builtins)}");
        if (Corpus is not null && !Corpora.Contains(Corpus))
            throw new ConfigException("data.corpus", Corpus, $"one of: {string.Join(", ", Corpora)}");
        ConfigCheck.Path("data.train", Train);
        ConfigCheck.Path("data.valid", Valid);
        ConfigCheck.Path("data.test", Test);
        if (PreparedDir.Trim().Length == 0) throw new ConfigException("data.prepared_dir", PreparedDir, "a directory path");
        if (EvalStride is { } stride) ConfigCheck.Positive("data.eval_stride", stride);
        if (IncludeSubject && Corpus != "spamassassin")
            throw new ConfigException("data.include_subject", new ShownValue("true"), "data.corpus spamassassin (the only corpus of e-mail messages)");
        if ((RandomOffset || EvalStride is not null) && Kind != DataKind.Text)
            throw new ConfigException(RandomOffset ? "data.random_offset" : "data.eval_stride", new ShownValue("set"), "data.kind text (these shape language-model windows)");
    }
}
