// What every decoding algorithm shares: where a sequence ends, and which repetitions are ruled out. Validate() throws an ArgumentException
// naming the option in its YAML spelling, e.g. "max_length must be at least 1, got 0".
using System.Globalization;

namespace Transformer.Models.Decoding;

public abstract record DecodingOptions
{
    /// <summary>Most tokens generated per row, the EOS included. Default 100.</summary>
    public int MaxLength { get; init; } = 100;

    /// <summary>The end-of-sequence id: a row that produces it is finished, and its tokens exclude it (its
    /// log-probability still counts in the score). Null: rows only end at <see cref="MaxLength"/>. Default null.</summary>
    public long? Eos { get; init; }

    /// <summary>No n-gram of this many tokens occurs twice in an output (fairseq's --no-repeat-ngram-size, Hugging
    /// Face's no_repeat_ngram_size): a token that would complete an n-gram already generated gets log-probability −∞.
    /// The generated tokens alone count (not the prompt, not the EOS). 0: no restriction. Default 0.</summary>
    public int NoRepeatNgramSize { get; init; }

    public virtual void Validate()
    {
        if (MaxLength < 1) throw Invalid("max_length", "must be at least 1", MaxLength);
        if (Eos < 0) throw Invalid("eos", "must be a token id ≥ 0", Eos);
        if (NoRepeatNgramSize < 0) throw Invalid("no_repeat_ngram_size", "must be 0 (off) or a number of tokens ≥ 1", NoRepeatNgramSize);
    }

    /// <summary>Checks the options against the model's vocabulary size too.</summary>
    public void Validate(long vocabSize)
    {
        Validate();
        if (Eos >= vocabSize) throw new ArgumentException($"eos {Eos} is outside the vocabulary of {vocabSize} tokens");
    }

    protected static ArgumentException Invalid(string key, string rule, object? value) =>
        new($"{key} {rule}, got {Convert.ToString(value, CultureInfo.InvariantCulture)}");
}
