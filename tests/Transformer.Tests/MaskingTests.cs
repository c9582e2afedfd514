// Masks in whole models: padding changes nothing it must not; the decoder never looks ahead.
namespace Transformer.Tests;

public class MaskingTests
{
    [Fact]
    public void Causal_attention_never_looks_ahead()
    {
        using var scope = NewDisposeScope();
        using var model = DecoderOnly.Build(new DecoderOnlyConfig { VocabSize = 17, DModel = 16, Heads = 4, DFeedForward = 32, Layers = 2, Dropout = 0 }, seed: 5);
        model.eval();
        var tokens = tensor(new long[] { 3, 5, 7, 9, 11, 13 }, new long[] { 1, 6 });
        var perturbed = tensor(new long[] { 3, 5, 7, 2, 4, 6 }, new long[] { 1, 6 });   // only positions 3… differ
        var a = model.forward(tokens);
        var b = model.forward(perturbed);
        Assert.True(a[.., ..3].allclose(b[.., ..3], rtol: 0, atol: 1e-6));
        Assert.False(a[.., 3..].allclose(b[.., 3..], rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Extra_padding_does_not_change_a_classifiers_output()
    {
        using var scope = NewDisposeScope();
        using var model = EncoderClassifier.Build(new EncoderClassifierConfig { VocabSize = 20, NumClasses = 3, DModel = 16, Heads = 2, DFeedForward = 32, Layers = 2, Dropout = 0 }, seed: 6);
        model.eval();
        var tokens = tensor(new long[] { 4, 8, 15, 16 }, new long[] { 1, 4 });
        var padded = tensor(new long[] { 4, 8, 15, 16, 0, 0, 0 }, new long[] { 1, 7 });
        Assert.True(model.forward(tokens).allclose(model.forward(padded), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Source_padding_does_not_change_the_decoders_output()
    {
        using var scope = NewDisposeScope();
        using var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = 20, TargetVocabSize = 20, DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 2, DecoderLayers = 2, Dropout = 0,
        }, seed: 7);
        model.eval();
        var source = tensor(new long[] { 4, 8, 15 }, new long[] { 1, 3 });
        var padded = tensor(new long[] { 4, 8, 15, 0, 0 }, new long[] { 1, 5 });
        var target = tensor(new long[] { 1, 9, 12 }, new long[] { 1, 3 });
        Assert.True(model.forward(source, target).allclose(model.forward(padded, target), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Left_padded_rows_stay_finite_and_real_tokens_ignore_the_padding()
    {
        using var scope = NewDisposeScope();
        using var model = DecoderOnly.Build(new DecoderOnlyConfig
        {
            VocabSize = 17, DModel = 16, Heads = 4, DFeedForward = 32, Layers = 2, Dropout = 0, Positional = PositionalEncodingKind.Rotary,
        }, seed: 8);
        model.eval();
        var padded = tensor(new long[] { 0, 0, 5, 7 }, new long[] { 1, 4 });
        var padding = AttentionMask.Padding(padded, 0);
        var logits = model.forward(padded, null, padding);
        Assert.False(logits.isnan().any().item<bool>());
        // With rotary positions only offsets matter, so the real tokens see what an unpadded prompt sees.
        var plain = model.forward(tensor(new long[] { 5, 7 }, new long[] { 1, 2 }));
        Assert.True(logits[.., 2..].allclose(plain, rtol: 0, atol: 1e-5));
    }
}
