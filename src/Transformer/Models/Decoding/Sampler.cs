// Ancestral sampling, batched: each row draws its next token from the model's distribution after
// temperature, top-k and top-p (TokenFilter), until EOS or max_length.
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public static class Sampler
{
    /// <summary>One sample per batch row, in input order. Score and LogProbability are the model's own
    /// log-probability of the sample (unaffected by temperature or filtering). Reproducible with
    /// <see cref="SamplingOptions.Seed"/> (or torch.manual_seed before the call) on the same device.</summary>
    public static IReadOnlyList<Hypothesis> Decode(IDecoderStep model, SamplingOptions options)
    {
        options.Validate(model.VocabSize);
        if (options.Seed is { } seed) manual_seed(seed);
        return RowDecoder.Run(model, options, logProbs =>
        {
            using var filtered = TokenFilter.Apply(logProbs, options.Temperature, options.TopK, options.TopP);
            using var probabilities = filtered.exp();
            using var drawn = probabilities.multinomial(1);            // (R, 1)
            return drawn.squeeze(1);
        });
    }
}
