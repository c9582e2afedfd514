// Keys the YAML leaves out take the records' defaults; model.kind picks the model record.
using Transformer.Configuration;

namespace Transformer.Tests;

public class ConfigDefaultsTests
{
    [Fact]
    public void A_minimal_experiment_equals_the_records_defaults()
    {
        var expected = new ExperimentConfig
        {
            Name = "tiny",
            Model = new DecoderOnlyConfig { VocabSize = 100 },
            Data = new DataConfig { Kind = DataKind.Text },
        };
        Assert.Equal(expected, ConfigSamples.Parse(ConfigSamples.Minimal));
    }

    [Fact]
    public void Defaults_are_the_documented_values()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal);
        Assert.Equal((1L, "cpu"), (config.Seed, config.Device));
        var training = config.Training;
        Assert.Equal((OptimizerKind.AdamW, 5e-4, (0.9, 0.98), 1e-8, 0.0, 0.0, false),
            (training.Optimizer.Name, training.Optimizer.Lr, training.Optimizer.Betas, training.Optimizer.Eps,
             training.Optimizer.WeightDecay, training.Optimizer.Momentum, training.Optimizer.Nesterov));
        Assert.Equal(new ScheduleConfig { Name = ScheduleKind.InverseSqrt, WarmupSteps = 4000, MinLr = 0 }, training.Schedule);
        Assert.Equal((100_000L, (int?)null, (TimeSpan?)null), (training.MaxSteps, training.MaxEpochs, training.MaxTime));
        Assert.Equal((4096, 1, (double?)null, 0.0, 1000, 100), (training.BatchTokens, training.GradAccumulation,
            training.ClipGradNorm, training.LabelSmoothing, training.EvalEvery, training.LogEvery));
        Assert.Null(training.EarlyStopping);
        Assert.Equal(NonFiniteAction.Stop, training.OnNonfinite);
        Assert.Equal(new CheckpointConfig { Every = 1000, KeepLast = 5, KeepBestBy = "valid_loss", BestMode = MetricMode.Min }, config.Checkpoint);
        Assert.Equal(new TokenizerConfig { Kind = TokenizerKind.Bpe, VocabSize = 8000, MinFrequency = 2, Path = null, Lowercase = false }, config.Tokenizer);
        Assert.Equal("data/prepared", config.Data.PreparedDir);
    }

    [Fact]
    public void A_section_given_in_part_keeps_the_defaults_of_its_other_keys()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal + "\ntraining:\n  early_stopping:\n    mode: max\n  optimizer:\n    lr: 1e-3\n");
        Assert.Equal(new OptimizerConfig { Lr = 1e-3 }, config.Training.Optimizer);
        Assert.Equal(new EarlyStoppingConfig { Mode = MetricMode.Max }, config.Training.EarlyStopping);
    }

    public static TheoryData<string, string, ModelConfig> ModelKinds => new()
    {
        { "encoder_decoder\n  source_vocab_size: 11\n  target_vocab_size: 12", "pairs", new EncoderDecoderConfig { SourceVocabSize = 11, TargetVocabSize = 12 } },
        { "decoder_only\n  vocab_size: 13\n  layers: 2", "text", new DecoderOnlyConfig { VocabSize = 13, Layers = 2 } },
        { "encoder_classifier\n  vocab_size: 14\n  num_classes: 3\n  pooling: first", "labeled", new EncoderClassifierConfig { VocabSize = 14, NumClasses = 3, Pooling = Pooling.First } },
        { "Decoder_Only\n  vocab_size: 13\n  norm_first: false\n  d_ff: 64", "text", new DecoderOnlyConfig { VocabSize = 13, NormFirst = false, DFeedForward = 64 } },
    };

    [Theory]
    [MemberData(nameof(ModelKinds))]
    public void Model_kind_selects_the_model_record_with_its_own_defaults(string kindAndKeys, string dataKind, ModelConfig expected)
    {
        var config = ConfigSamples.Parse($"name: x\nmodel:\n  kind: {kindAndKeys}\ndata:\n  kind: {dataKind}\n");
        Assert.Equal(expected, config.Model);
    }

    [Fact]
    public void A_decoder_only_model_keeps_its_pre_ln_default()
    {
        var model = Assert.IsType<DecoderOnlyConfig>(ConfigSamples.Parse(ConfigSamples.Minimal).Model);
        Assert.True(model.NormFirst);
        Assert.False(model.ScaleEmbedding);
    }
}
