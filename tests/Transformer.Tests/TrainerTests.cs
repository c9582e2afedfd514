// The trainer: same seed ⇒ the same loss sequence bit for bit; a resumed run continues exactly.
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static ExperimentConfig Tiny(long maxSteps) => SequenceReversal.DefaultConfig() with
    {
        Model = new EncoderDecoderConfig
        {
            SourceVocabSize = SequenceReversal.VocabSize, TargetVocabSize = SequenceReversal.VocabSize, ShareEmbeddings = true,
            DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0.1, MaxPositions = 32,
        },
        Training = SequenceReversal.DefaultConfig().Training with
        {
            MaxSteps = maxSteps, BatchTokens = 170, LogEvery = 1, EvalEvery = 4,
            Optimizer = new OptimizerConfig { Lr = 1e-2 }, Schedule = new ScheduleConfig { WarmupSteps = 2 },
        },
        Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3 },
    };

    private (TrainingOutcome outcome, double[] losses) Train(ExperimentConfig config, string run, bool resume = false)
    {
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var outcome = new Trainer(config, model, data, run).Run(resume);
        return (outcome, Losses(run));
    }

    private static double[] Losses(string run) => File.ReadLines(Path.Combine(run, "metrics.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.GetProperty("kind").GetString() == "train")
        .Select(e => e.GetProperty("loss").GetDouble())
        .ToArray();

    [Fact]
    public void Extra_validation_metrics_are_logged_with_the_time_and_can_pick_the_best_checkpoint()
    {
        var config = Tiny(8) with { Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = "valid_calls", BestMode = MetricMode.Min } };
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var run = Path.Combine(root, "extra");
        var calls = 0;
        var outcome = new Trainer(config, model, data, run, extraValidation: _ => new Dictionary<string, double> { ["calls"] = ++calls }).Run();
        var valid = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "valid").ToArray();
        Assert.Equal(new[] { 1.0, 2.0 }, valid.Select(e => e.GetProperty("valid_calls").GetDouble()));
        Assert.All(valid, e => Assert.True(e.GetProperty("elapsed_s").GetDouble() > 0));
        Assert.Equal(2.0, outcome.LastValidation["valid_calls"]);
        Assert.False(outcome.LastValidation.ContainsKey("elapsed_s"));
        Assert.Equal(new CheckpointStore(Path.Combine(run, "checkpoints")).PathFor(4), outcome.BestCheckpoint); // min of valid_calls
    }

    [Fact]
    public void The_same_config_and_seed_give_a_bit_identical_loss_sequence()
    {
        var (_, a) = Train(Tiny(8), Path.Combine(root, "a"));
        var (_, b) = Train(Tiny(8), Path.Combine(root, "b"));
        Assert.Equal(8, a.Length);
        Assert.Equal(a, b);
        Assert.True(a[^1] < a[0], "the loss should fall");
    }

    [Fact]
    public void A_resumed_run_reproduces_the_uninterrupted_loss_curve()
    {
        var (whole, uninterrupted) = Train(Tiny(12), Path.Combine(root, "whole"));
        var split = Path.Combine(root, "split");
        var (first, _) = Train(Tiny(8), split);
        Assert.Equal(StopReason.MaxSteps, first.Reason);
        var (second, resumed) = Train(Tiny(12), split, resume: true);
        Assert.Equal(12, second.Step);
        Assert.Equal(uninterrupted, resumed);
        Assert.Equal(whole.LastValidation["valid_loss"], second.LastValidation["valid_loss"]);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_without_a_checkpoint_from_that_state()
    {
        var config = Tiny(8) with { Training = Tiny(8).Training with { Optimizer = new OptimizerConfig { Lr = 1e30 } } };
        var (outcome, _) = Train(config, Path.Combine(root, "nan"));
        Assert.Equal(StopReason.NonFiniteLoss, outcome.Reason);
        Assert.Contains("loss became", outcome.Message);
        Assert.Null(outcome.LastCheckpoint);
    }
}
