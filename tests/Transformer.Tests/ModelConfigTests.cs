// Config errors name the key, the value and what was expected.
using Transformer.Engine;
namespace Transformer.Tests;

public class ModelConfigTests
{
    public static TheoryData<ModelConfig, string> InvalidConfigs => new()
    {
        { new DecoderOnlyConfig { VocabSize = 10, DModel = 30, Heads = 4 }, "model.heads: 4 — expected a divisor of model.d_model (30)" },
        { new DecoderOnlyConfig { VocabSize = 0 }, "model.vocab_size: 0 — expected a positive vocabulary size" },
        { new DecoderOnlyConfig { VocabSize = 10, Dropout = 1.5 }, "model.dropout: 1.5 — expected a probability in [0, 1)" },
        { new DecoderOnlyConfig { VocabSize = 10, PadIndex = 10 }, "model.pad_index: 10 — expected a token id below model.vocab_size (10)" },
        { new DecoderOnlyConfig { VocabSize = 10, DModel = 24, Heads = 8, Positional = PositionalEncodingKind.Rotary }, "model.positional: 'rotary' — expected an even head size (d_model / heads = 3)" },
        { new EncoderDecoderConfig { SourceVocabSize = 10, TargetVocabSize = 12, ShareEmbeddings = true }, "model.share_embeddings: True — expected equal vocabularies (source 10, target 12)" },
        { new EncoderClassifierConfig { VocabSize = 10, NumClasses = 1 }, "model.num_classes: 1 — expected at least 2 classes" },
        { new EncoderDecoderConfig { SourceVocabSize = 10, TargetVocabSize = 10, EncoderLayers = 0 }, "model.encoder_layers: 0 — expected a positive integer" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Invalid_configs_are_rejected_with_key_value_and_expectation(ModelConfig config, string message)
    {
        var e = Assert.Throws<ConfigException>(config.Validate);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_same_seed_builds_identical_weights()
    {
        var config = new DecoderOnlyConfig { VocabSize = 11, DModel = 8, Heads = 2, DFeedForward = 16, Layers = 1 };
        using var a = DecoderOnly.Build(config, seed: 9);
        using var b = DecoderOnly.Build(config, seed: 9);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.Identical(pb), name);
    }
}
