// training.eval_generate: decode (part of) the validation split at every evaluation, so metrics that need
// outputs — WER/PER, exact match, BLEU, chrF — are logged during training and can pick the best checkpoint.
namespace Transformer.Configuration;

/// <summary>Generation metrics at each evaluation (encoder_decoder only); the whole section is null (off) by default.</summary>
public sealed record GenerationEvalConfig
{
    /// <summary>Beam size; 1 decodes greedily. Default 1.</summary>
    public int Beam { get; init; } = 1;
    /// <summary>Distinct validation sources decoded (the first ones, always the same), or null for all. Default null.</summary>
    public int? MaxExamples { get; init; }
    /// <summary>No n-gram of this many tokens twice in an output (fairseq's --no-repeat-ngram-size); 0: off. Default 0.</summary>
    public int NoRepeatNgramSize { get; init; }

    public void Validate()
    {
        ConfigCheck.Positive("training.eval_generate.beam", Beam);
        if (MaxExamples is { } n) ConfigCheck.Positive("training.eval_generate.max_examples", n);
        ConfigCheck.NonNegative("training.eval_generate.no_repeat_ngram_size", NoRepeatNgramSize);
    }
}
