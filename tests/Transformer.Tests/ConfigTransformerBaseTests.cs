// configs/transformer-base.yaml is the paper's base model (Vaswani et al. 2017, Table 3), checked key by key and by
// its parameter count.
using Transformer.Models;
using Transformer.Configuration;

namespace Transformer.Tests;

public class ConfigTransformerBaseTests
{
    private static ExperimentConfig Load() => ConfigLoader.Load(Path.Combine(RepositoryRoot.Path, "configs", "transformer-base.yaml"));

    [Fact]
    public void The_base_config_has_the_papers_hyper_parameters()
    {
        var config = Load();
        var model = Assert.IsType<EncoderDecoderConfig>(config.Model);
        Assert.Equal((6, 6, 512, 2048, 8, 0.1), (model.EncoderLayers, model.DecoderLayers, model.DModel, model.DFeedForward, model.Heads, model.Dropout));
        Assert.Equal((37_000, 37_000, true, true), (model.SourceVocabSize, model.TargetVocabSize, model.ShareEmbeddings, model.TieOutput));
        Assert.False(model.NormFirst);
        Assert.False(model.HasFinalNorm);
        var optimizer = config.Training.Optimizer;
        Assert.Equal((OptimizerKind.Adam, (0.9, 0.98), 1e-9), (optimizer.Name, optimizer.Betas, optimizer.Eps));
        Assert.Equal((ScheduleKind.InverseSqrt, 4000), (config.Training.Schedule.Name, config.Training.Schedule.WarmupSteps));
        Assert.Equal(0.1, config.Training.LabelSmoothing);
    }

    [Fact]
    public void The_base_learning_rate_is_the_papers_peak_at_the_end_of_warm_up()
    {
        // Paper: d_model^-0.5 · min(step^-0.5, step · warmup^-1.5), which peaks at step = warmup with
        // d_model^-0.5 · warmup^-0.5; inverse_sqrt is lr · min(step / warmup, sqrt(warmup / step)) with lr that peak.
        var config = Load();
        Assert.Equal(Math.Pow(512, -0.5) * Math.Pow(4000, -0.5), config.Training.Optimizer.Lr, 1e-18);
    }

    [Fact]
    public void The_base_model_has_the_hand_computed_parameter_count()
    {
        // V = 37,000, d = 512, d_ff = 2048, N = 6; one embedding matrix shared by source, target and output.
        //   embeddings         V·d                                   = 18,944,000
        //   attention          4·d² + 4·d (in_proj 3d×d + 3d, out d×d + d) = 1,050,624
        //   feed-forward       2·d·d_ff + d_ff + d                   = 2,099,712
        //   LayerNorm          2·d                                   = 1,024
        //   encoder layer      attention + FFN + 2 LayerNorms        = 3,152,384   × 6 = 18,914,304
        //   decoder layer      + cross-attention + 1 more LayerNorm  = 4,204,032   × 6 = 25,224,192
        //   post-LN: no final norms; sinusoidal positions are a buffer, not parameters.
        //   total              18,944,000 + 18,914,304 + 25,224,192  = 63,082,496
        const long expected = 37_000L * 512
            + 6 * (4L * 512 * 512 + 4 * 512 + 2L * 512 * 2048 + 2048 + 512 + 2 * 2 * 512)
            + 6 * (8L * 512 * 512 + 8 * 512 + 2L * 512 * 2048 + 2048 + 512 + 3 * 2 * 512);
        Assert.Equal(63_082_496, expected);
        using var model = EncoderDecoder.Build(Assert.IsType<EncoderDecoderConfig>(Load().Model));
        Assert.Equal(expected, model.ParameterCount());
    }
}
