// bf16 mixed precision (training.precision: bf16): the matmuls in bfloat16, everything the optimizer sees in float32.
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class MixedPrecisionTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "bf16-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static Tensor Bf16Rounded(Tensor t)
    {
        using var lowered = t.to(ScalarType.BFloat16);
        return lowered.to(ScalarType.Float64);
    }

    [Fact]
    public void A_bf16_linear_layer_returns_float32_of_the_product_of_bfloat16_operands()
    {
        using var _ = NewDisposeScope();
        manual_seed(3);
        var layer = nn.Linear(24, 16, hasBias: false);
        var x = randn(5, 24);
        var fp32 = MatmulPrecision.Linear(layer, x);
        Tensor bf16;
        using (MatmulPrecision.Use(Precision.Bf16)) bf16 = MatmulPrecision.Linear(layer, x);
        Assert.Equal(Precision.Fp32, MatmulPrecision.Current);                      // the scope ends with its using

        // Independently: the bf16-rounded operands multiplied exactly in float64, the product rounded to bfloat16.
        var exact = Bf16Rounded(x).matmul(Bf16Rounded(layer.weight!).t());
        var expected = exact.to(ScalarType.BFloat16).to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, bf16.dtype);
        // Equal, but for a float32 accumulation landing on the other side of a bfloat16 rounding boundary (one ulp, 2⁻⁸).
        var ulps = (bf16 - expected).abs() / expected.abs().clamp_min(1e-3);
        Assert.True(ulps.max().item<float>() <= 1.0 / 128, $"max relative difference {ulps.max().item<float>()}");
        Assert.True(bf16.eq(expected).to(ScalarType.Float32).mean().item<float>() > 0.9);

        // And it differs from the float32 product by about bfloat16's rounding: not equal, within a few 2⁻⁸ relative.
        var bound = x.abs().matmul(layer.weight!.abs().t()) * (3.0 / 256);
        Assert.False(bf16.eq(fp32).all().item<bool>());
        Assert.True((bf16 - fp32).abs().le(bound).all().item<bool>());
    }

    [Fact]
    public void Attention_products_run_in_bfloat16_and_return_float32()
    {
        using var _ = NewDisposeScope();
        manual_seed(4);
        var (a, b) = (randn(2, 6, 8), randn(2, 8, 5));
        Tensor product;
        using (MatmulPrecision.Use(Precision.Bf16)) product = MatmulPrecision.Bmm(a, b);
        var expected = Bf16Rounded(a).bmm(Bf16Rounded(b)).to(ScalarType.BFloat16).to(ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, product.dtype);
        Assert.True(((product - expected).abs() / expected.abs().clamp_min(1e-3)).max().item<float>() <= 1.0 / 128);
        Assert.False(product.eq(a.bmm(b)).all().item<bool>());
    }

    private static ExperimentConfig Tiny(long maxSteps, Precision precision) => SequenceReversal.DefaultConfig() with
    {
        Model = new EncoderDecoderConfig
        {
            SourceVocabSize = SequenceReversal.VocabSize, TargetVocabSize = SequenceReversal.VocabSize, ShareEmbeddings = true,
            DModel = 32, Heads = 2, DFeedForward = 64, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0.0, AttentionDropout = 0.0,
            MaxPositions = 32,
        },
        Training = SequenceReversal.DefaultConfig().Training with
        {
            MaxSteps = maxSteps, BatchTokens = 400, LogEvery = 1, EvalEvery = 1000, Precision = precision,
            Optimizer = new OptimizerConfig { Lr = 1e-2 }, Schedule = new ScheduleConfig { WarmupSteps = 5 },
        },
        Checkpoint = new CheckpointConfig { Every = 1000, KeepLast = 1 },
    };

    private static (Tensor[] gradients, float loss) Gradients(EncoderDecoder model, Data.Batching.Batch batch, Precision precision)
    {
        foreach (var p in model.parameters()) p.grad = null;
        Objective.Result result;
        using (MatmulPrecision.Use(precision)) result = Objective.Compute(model, batch, 0.0);
        result.Loss.backward();
        return (model.parameters().Select(p => p.grad!.detach().clone()).ToArray(), result.Loss.item<float>());
    }

    [Fact]
    public void Gradients_reach_the_float32_master_weights_close_to_the_float32_gradients()
    {
        using var _ = NewDisposeScope();
        var config = Tiny(1, Precision.Bf16);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 100, heldOutSize: 10);
        using var batch = data.Epoch(0, 0).First();
        var (fp32, loss32) = Gradients(model, batch, Precision.Fp32);
        var (bf16, loss16) = Gradients(model, batch, Precision.Bf16);
        Assert.Equal(fp32.Length, bf16.Length);
        Assert.InRange(Math.Abs(loss16 - loss32) / loss32, 0, 0.01);
        for (var i = 0; i < fp32.Length; i++)
        {
            Assert.Equal(ScalarType.Float32, bf16[i].dtype);
            Assert.True(bf16[i].isfinite().all().item<bool>());
            // Relative to the whole gradient's norm: bfloat16 keeps 8 significant bits, so a few per cent at most.
            var error = (bf16[i] - fp32[i]).norm().item<float>() / Math.Max(fp32[i].norm().item<float>(), 1e-6f);
            Assert.True(error < 0.05, $"parameter {i}: relative gradient error {error}");
        }
        Assert.Contains(Enumerable.Range(0, fp32.Length), i => !bf16[i].eq(fp32[i]).all().item<bool>());   // the bf16 path did run
    }

    [Fact]
    public void Parameters_and_optimizer_state_stay_float32_after_bf16_steps()
    {
        using var _ = NewDisposeScope();
        var config = Tiny(3, Precision.Bf16);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        using var optimizer = TrainingFactories.Optimizer(config.Training.Optimizer, model);
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 100, heldOutSize: 10);
        foreach (var batch in data.Epoch(0, 0).Take(3))
        {
            using (batch) Gradients(model, batch, Precision.Bf16);
            optimizer.step();
        }
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        var state = OptimizerStateDict.Capture(optimizer);
        Assert.NotEmpty(state.Tensors);
        Assert.All(state.Tensors.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
    }

    [Fact]
    public void A_short_bf16_training_decreases_the_loss()
    {
        var config = Tiny(40, Precision.Bf16);
        var run = Path.Combine(root, "bf16");
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 2000, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        new Trainer(config, model, data, run).Run();
        var losses = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "train").Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(40, losses.Length);
        Assert.True(losses.TakeLast(5).Average() < 0.95 * losses.Take(5).Average(),
            $"first {losses.Take(5).Average():F3}, last {losses.TakeLast(5).Average():F3}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(Precision.Fp32, MatmulPrecision.Current);
    }

    [Fact]
    public void The_precision_key_reads_fp32_or_bf16()
    {
        Assert.Equal(Precision.Fp32, new TrainingConfig().Precision);
        Assert.Equal("bf16", ConfigNaming.EnumValue(Precision.Bf16));
        Assert.Equal("fp32", ConfigNaming.EnumValue(Precision.Fp32));
    }
}
