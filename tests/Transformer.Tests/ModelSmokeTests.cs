namespace Transformer.Tests;

public class ModelSmokeTests
{
    [Fact]
    public void An_encoder_decoder_maps_source_and_target_to_target_vocabulary_logits()
    {
        using var scope = NewDisposeScope();
        using var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = 11, TargetVocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1,
        }, seed: 1);
        var source = tensor(new long[] { 3, 4, 5, 0, 6, 7, 8, 9 }, new long[] { 2, 4 });
        var target = tensor(new long[] { 1, 2, 3, 1, 5, 0 }, new long[] { 2, 3 });
        var logits = model.forward(source, target);
        Assert.Equal(new long[] { 2, 3, 13 }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Learned)]
    [InlineData(PositionalEncodingKind.Rotary)]
    public void Moving_a_model_to_another_dtype_moves_every_tensor_its_modules_compute_with(PositionalEncodingKind positional)
    {
        // Module.to replaces parameters and buffers; the modules' own properties must follow, or forward would
        // mix the old tensors with the new (on CUDA: two devices). float64 exercises the same path on the CPU.
        using var scope = NewDisposeScope();
        using var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = 11, TargetVocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1,
            Positional = positional, Dropout = 0, AttentionDropout = 0,
        }, seed: 1);
        model.eval();
        var source = tensor(new long[] { 3, 4, 5, 0, 6, 7, 8, 9 }, new long[] { 2, 4 });
        var target = tensor(new long[] { 1, 2, 3, 1, 5, 0 }, new long[] { 2, 3 });
        var expected = model.forward(source, target).to(ScalarType.Float64);

        model.to(ScalarType.Float64);

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Assert.All(parameters.Values, p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(model.named_buffers(), b => Assert.Equal(ScalarType.Float64, b.buffer.dtype));
        Assert.Same(parameters["source_embed.weight"], model.source_embed.weight);
        Assert.Same(parameters["encoder.layers.0.self_attn.in_proj_weight"], model.encoder.layers[0].self_attn.in_proj_weight);
        Assert.Same(parameters["decoder.layers.0.multihead_attn.in_proj_bias"], model.decoder.layers[0].multihead_attn!.in_proj_bias);
        Assert.Equal(ScalarType.Float64, (model.positions.pe ?? model.positions.weight ?? model.rotary!.cos).dtype);
        var actual = model.forward(source, target);
        Assert.Equal(ScalarType.Float64, actual.dtype);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5));
    }
}
