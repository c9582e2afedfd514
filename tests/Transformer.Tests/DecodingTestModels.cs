// Tiny randomly initialised models (fixed seeds, eval mode) and helpers the decoding tests share.
using Transformer.Models.Decoding;

namespace Transformer.Tests;

/// <summary>The decoding tests build seeded models and sample with seeds, all through libtorch's one global
/// generator: they run alone, so no test running in parallel draws from it in between.</summary>
[CollectionDefinition(nameof(DecodingCollection), DisableParallelization = true)]
public sealed class DecodingCollection;

internal static class DecodingTestModels
{
    public const long Bos = 1, Eos = 2;

    public static EncoderDecoder Translator(int vocab = 12, long seed = 13)
    {
        var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = vocab, TargetVocabSize = vocab, DModel = 16, Heads = 2, DFeedForward = 32,
            EncoderLayers = 2, DecoderLayers = 2, MaxPositions = 64,
        }, seed);
        model.eval();
        return model;
    }

    public static DecoderOnly LanguageModel(PositionalEncodingKind positional = PositionalEncodingKind.Sinusoidal, int vocab = 12, long seed = 2)
    {
        var model = DecoderOnly.Build(new DecoderOnlyConfig
        {
            VocabSize = vocab, DModel = 16, Heads = 2, DFeedForward = 32, Layers = 2, MaxPositions = 64, Positional = positional,
        }, seed);
        model.eval();
        return model;
    }

    /// <summary>Three right-padded sources (padding id 0) of lengths 5, 3 and 2.</summary>
    public static Tensor Sources() => tensor(new long[] { 3, 4, 5, 6, 7, 8, 9, 10, 0, 0, 11, 3, 0, 0, 0 }, new long[] { 3, 5 });

    public static long[][] Prompts() => [[3, 4, 5], [6], [7, 8, 9, 10, 11], [4, 9, 3]];

    public static IDecoderStep Stepper(EncoderDecoder model, Tensor sources, bool useCache = true) =>
        new EncoderDecoderStepper(model, sources, Bos, useCache);

    public static IDecoderStep Stepper(DecoderOnly model, long[][] prompts, bool useCache = true) =>
        DecoderOnlyStepper.Create(model, prompts, useCache);

    public static IReadOnlyList<Hypothesis> Greedy(IDecoderStep stepper, GreedyOptions options)
    {
        using (stepper) return GreedySearch.Decode(stepper, options);
    }

    public static IReadOnlyList<IReadOnlyList<Hypothesis>> Beam(IDecoderStep stepper, BeamSearchOptions options)
    {
        using (stepper) return BeamSearch.Decode(stepper, options);
    }

    public static IReadOnlyList<Hypothesis> Sample(IDecoderStep stepper, SamplingOptions options)
    {
        using (stepper) return Sampler.Decode(stepper, options);
    }

    /// <summary>Same tokens and end; scores equal up to float rounding of differently shaped computations.</summary>
    public static void AssertSame(Hypothesis expected, Hypothesis actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.Finished, actual.Finished);
        Assert.Equal(expected.Score, actual.Score, tolerance);
        Assert.Equal(expected.LogProbability, actual.LogProbability, tolerance);
    }

    public static void AssertSame(IReadOnlyList<Hypothesis> expected, IReadOnlyList<Hypothesis> actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) AssertSame(expected[i], actual[i], tolerance);
    }

    public static void AssertSame(IReadOnlyList<IReadOnlyList<Hypothesis>> expected, IReadOnlyList<IReadOnlyList<Hypothesis>> actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) AssertSame(expected[i], actual[i], tolerance);
    }

    /// <summary>log P(tokens [+ EOS] | source) by one teacher-forced pass of the whole model, the padding id
    /// excluded from the distribution as the steppers exclude it: an independent check of decoding scores.</summary>
    public static double TeacherForcedLogProbability(EncoderDecoder model, Tensor source, long[] tokens, bool finished)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] scored = finished ? [.. tokens, Eos] : tokens;
        long[] input = [Bos, .. scored[..^1]];
        var logits = model.forward(source, tensor(input, new long[] { 1, input.Length }));
        logits.index_put_(double.NegativeInfinity, TensorIndex.Ellipsis, model.Config.PadIndex);
        var logProbs = nn.functional.log_softmax(logits.to(ScalarType.Float64), -1);
        var picked = logProbs.gather(2, tensor(scored, new long[] { 1, scored.Length, 1 }));
        return picked.sum().item<double>();
    }

    /// <summary>Row <paramref name="row"/> of a batch of sources, as a (1, S) batch of its own.</summary>
    public static Tensor Row(Tensor sources, long row) => sources.narrow(0, row, 1);
}
