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
}
