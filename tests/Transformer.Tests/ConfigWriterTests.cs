// ConfigWriter writes the resolved experiment (every key, defaults included), and loading that YAML gives back an
// equal config.
using Transformer.Configuration;
using YamlDotNet.RepresentationModel;

namespace Transformer.Tests;

public class ConfigWriterTests
{
    public static TheoryData<ExperimentConfig> Configs => new()
    {
        new ExperimentConfig { Name = "defaults", Model = new EncoderDecoderConfig { SourceVocabSize = 10, TargetVocabSize = 12 } },
        new ExperimentConfig
        {
            Name = "every-key.changed_1",
            Seed = -3,
            Device = "cuda:1",
            Model = new DecoderOnlyConfig
            {
                VocabSize = 77, Layers = 3, TieOutput = false, DModel = 48, Heads = 6, DFeedForward = 100, Dropout = 0.25,
                AttentionDropout = 1.0 / 3, Activation = FeedForwardActivation.SwiGlu, NormFirst = false, FinalNorm = true,
                LayerNormEps = 1e-6, Positional = PositionalEncodingKind.Rotary, MaxPositions = 4096, ScaleEmbedding = true, PadIndex = 3,
            },
            Training = new TrainingConfig
            {
                Optimizer = new OptimizerConfig { Name = OptimizerKind.Sgd, Lr = 0.1, Betas = (0.5, 0.75), Eps = 1e-12, WeightDecay = 1e-4, Momentum = 0.9, Nesterov = true },
                Schedule = new ScheduleConfig { Name = ScheduleKind.Cosine, WarmupSteps = 10, MinLr = 1e-5 },
                MaxSteps = 5000, MaxEpochs = 7, MaxTime = new TimeSpan(1, 2, 3, 4),
                BatchTokens = 123, GradAccumulation = 4, ClipGradNorm = 0.5, LabelSmoothing = 0.05, EvalEvery = 7, LogEvery = 3,
                EarlyStopping = new EarlyStoppingConfig { Metric = "bleu", Patience = 2, Mode = MetricMode.Max },
                OnNonfinite = NonFiniteAction.Skip,
            },
            Checkpoint = new CheckpointConfig { Every = 9, KeepLast = 1, KeepBestBy = null, BestMode = MetricMode.Max },
            Data = new DataConfig { Kind = DataKind.Text, Train = "null", Valid = "123", Test = "a: b # 'c' \"d\"", PreparedDir = "out dir/prepared" },
            Tokenizer = new TokenizerConfig { Kind = TokenizerKind.Char, VocabSize = 300, MinFrequency = 1, Path = "true", Lowercase = true },
        },
        new ExperimentConfig
        {
            Name = "classifier",
            Model = new EncoderClassifierConfig { VocabSize = 20, NumClasses = 4, Pooling = Pooling.First, Activation = FeedForwardActivation.Gelu, Positional = PositionalEncodingKind.None },
            Training = new TrainingConfig { MaxSteps = null, MaxTime = TimeSpan.FromSeconds(90), Schedule = new ScheduleConfig { Name = ScheduleKind.Constant, WarmupSteps = 0 } },
            Data = new DataConfig { Kind = DataKind.Labeled },
            Tokenizer = new TokenizerConfig { Kind = TokenizerKind.Word },
        },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Loading_the_written_yaml_gives_back_an_equal_config(ExperimentConfig config)
    {
        config.Validate();
        var yaml = ConfigWriter.ToYaml(config);
        Assert.Equal(config, ConfigLoader.Parse(yaml, "resolved.yaml"));
        Assert.Equal(yaml, ConfigWriter.ToYaml(ConfigLoader.Parse(yaml, "resolved.yaml")));
    }

    [Fact]
    public void The_written_yaml_has_every_key_with_its_default()
    {
        var yaml = ConfigWriter.ToYaml(ConfigSamples.Parse(ConfigSamples.Minimal));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var written = LeafPaths((YamlMappingNode)stream.Documents[0].RootNode, "").ToHashSet();

        var decoderOnlyKeys = ConfigSchema.Fields(typeof(DecoderOnlyConfig)).Select(f => "model." + f.Key).Append("model.kind").ToHashSet();
        var expected = ConfigSchema.LeafKeys(typeof(ExperimentConfig))
            .Where(k => !k.StartsWith("model.", StringComparison.Ordinal) || decoderOnlyKeys.Contains(k))
            .Select(k => k.StartsWith("training.early_stopping.", StringComparison.Ordinal) ? "training.early_stopping"
                : k.StartsWith("training.eval_generate.", StringComparison.Ordinal) ? "training.eval_generate" : k)
            .ToHashSet();
        Assert.Equal(expected.Order(), written.Order());
        Assert.StartsWith("name: tiny\nseed: 1\ndevice: cpu\nmodel:\n  kind: decoder_only\n  d_model: 512\n", yaml);
        Assert.Contains("\n  early_stopping: null\n", yaml);
        Assert.Contains("\n  eval_generate: null\n", yaml);
        Assert.Contains("\n    betas: [0.9, 0.98]\n", yaml);
    }

    private static IEnumerable<string> LeafPaths(YamlMappingNode mapping, string prefix)
    {
        foreach (var (key, value) in mapping.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode section)
                foreach (var leaf in LeafPaths(section, path + ".")) yield return leaf;
            else yield return path;
        }
    }

    [Fact]
    public void A_file_round_trips_through_load_and_write()
    {
        var path = Path.Combine(Path.GetTempPath(), $"config-writer-{Guid.NewGuid():N}.yaml");
        try
        {
            var base_ = ConfigLoader.Load(Path.Combine(RepositoryRoot.Path, "configs", "transformer-base.yaml"));
            File.WriteAllText(path, ConfigWriter.ToYaml(base_));
            Assert.Equal(base_, ConfigLoader.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
