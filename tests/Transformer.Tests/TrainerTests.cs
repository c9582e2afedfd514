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

    private TrainingOutcome TrainWith(ExperimentConfig config, string run, Func<int, double> calls)
    {
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var n = 0;
        return new Trainer(config, model, data, Path.Combine(root, run),
            extraValidation: _ => new Dictionary<string, double> { ["calls"] = calls(++n) }).Run();
    }

    [Fact]
    public void Extra_validation_metrics_are_logged_with_the_time_and_can_pick_the_best_checkpoint()
    {
        var config = Tiny(8) with { Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = "valid_calls", BestMode = MetricMode.Min } };
        var run = Path.Combine(root, "extra");
        var outcome = TrainWith(config, "extra", n => n);
        var valid = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "valid").ToArray();
        Assert.Equal(new[] { 1.0, 2.0 }, valid.Select(e => e.GetProperty("valid_calls").GetDouble()));
        Assert.All(valid, e => Assert.True(e.GetProperty("elapsed_s").GetDouble() > 0));
        Assert.Equal(2.0, outcome.LastValidation["valid_calls"]);
        Assert.False(outcome.LastValidation.ContainsKey("elapsed_s"));
        Assert.Equal(new CheckpointStore(Path.Combine(run, "checkpoints")).PathFor(4), outcome.BestCheckpoint); // min of valid_calls
    }

    [Fact]
    public void A_tie_moves_the_best_checkpoint_to_the_later_step()
    {
        // valid_calls: 0.5 at step 4, then 1.0 at steps 8 and 12 (saturated, like an accuracy of 1.0)
        var config = Tiny(12) with { Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = "valid_calls", BestMode = MetricMode.Max } };
        var outcome = TrainWith(config, "tie", n => n == 1 ? 0.5 : 1.0);
        Assert.Equal(new CheckpointStore(Path.Combine(root, "tie", "checkpoints")).PathFor(12), outcome.BestCheckpoint);
        Assert.Equal(StopReason.MaxSteps, outcome.Reason);
    }

    [Fact]
    public void Early_stopping_watches_its_own_metric_and_a_tie_is_not_an_improvement()
    {
        // Best checkpoint by valid_loss, early stopping by valid_calls (max): 0.5, 1.0, 1.0, 1.0 → patience 2 runs
        // out at the fourth evaluation (step 16), although valid_loss may still improve.
        var config = Tiny(40) with
        {
            Training = Tiny(40).Training with { EarlyStopping = new EarlyStoppingConfig { Metric = "valid_calls", Patience = 2, Mode = MetricMode.Max } },
            Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = "valid_loss", BestMode = MetricMode.Min },
        };
        var outcome = TrainWith(config, "early", n => n == 1 ? 0.5 : 1.0);
        Assert.Equal(StopReason.EarlyStopping, outcome.Reason);
        Assert.Equal(16, outcome.Step);
        Assert.Contains("valid_calls did not improve for 2 evaluations (best 1)", outcome.Message);
        var state = Checkpoint.ReadState(new CheckpointStore(Path.Combine(root, "early", "checkpoints")).PathFor(16));
        Assert.Equal((1.0, 2, "valid_loss"), (state.EarlyStoppingBest, state.EvaluationsWithoutImprovement, state.BestMetric));
    }

    [Fact]
    public void Early_stopping_works_without_a_best_checkpoint_metric()
    {
        var config = Tiny(40) with
        {
            Training = Tiny(40).Training with { EarlyStopping = new EarlyStoppingConfig { Metric = "valid_calls", Patience = 1, Mode = MetricMode.Min } },
            Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = null },
        };
        var outcome = TrainWith(config, "no-best", n => n); // rises: the first evaluation is the best
        Assert.Equal((StopReason.EarlyStopping, 8L), (outcome.Reason, outcome.Step));
        Assert.Null(outcome.BestCheckpoint);
    }

    [Fact]
    public void A_metric_the_evaluation_does_not_produce_is_a_config_error_naming_the_key()
    {
        var config = Tiny(8) with { Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = "valid_bleu", BestMode = MetricMode.Max } };
        var error = Assert.Throws<ConfigException>(() => TrainWith(config, "missing", _ => 0));
        Assert.StartsWith("checkpoint.keep_best_by: 'valid_bleu' — expected one of this experiment's validation metrics (valid_calls, valid_loss,", error.Message);
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
    public void A_checkpoint_between_two_log_lines_keeps_the_window_so_a_resume_logs_what_an_uninterrupted_run_logs()
    {
        // Log every 3 steps, checkpoints every 4: the checkpoint at step 8 holds steps 7 and 8 of the window logged at 9.
        ExperimentConfig Config(long steps) => Tiny(steps) with { Training = Tiny(steps).Training with { LogEvery = 3 } };
        static double[][] Logged(string run) => File.ReadLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement).Where(e => e.GetProperty("kind").GetString() == "train")
            .Select(e => new[] { e.GetProperty("step").GetDouble(), e.GetProperty("loss").GetDouble(), e.GetProperty("token_accuracy").GetDouble() })
            .ToArray();
        Train(Config(12), Path.Combine(root, "whole-window"));
        var split = Path.Combine(root, "split-window");
        Train(Config(8), split);
        Assert.Equal(2, Checkpoint.ReadState(new CheckpointStore(Path.Combine(split, "checkpoints")).PathFor(8)).LogWindow!.Batches);
        Train(Config(12), split, resume: true);
        var (whole, resumed) = (Logged(Path.Combine(root, "whole-window")), Logged(split));
        Assert.Equal(new[] { 3.0, 6, 9, 12 }, resumed.Select(r => r[0]));
        Assert.Equal(whole, resumed);
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_without_a_checkpoint_from_that_state()
    {
        var config = Tiny(8) with { Training = Tiny(8).Training with { Optimizer = new OptimizerConfig { Lr = 1e30 } } };
        var (outcome, _) = Train(config, Path.Combine(root, "nan"));
        Assert.Equal(StopReason.NonFinite, outcome.Reason);
        Assert.Contains(" became ", outcome.Message);
        Assert.Null(outcome.LastCheckpoint);
    }

    /// <summary>Trains with a NaN planted in one gradient, the first time step <paramref name="poisonedStep"/> is taken.</summary>
    private (TrainingOutcome outcome, Trainer trainer) TrainPoisoned(ExperimentConfig config, string run, long poisonedStep)
    {
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var poisoned = false;
        var trainer = new Trainer(config, model, data, Path.Combine(root, run))
        {
            AfterBackward = (m, step) =>
            {
                if (step != poisonedStep || poisoned) return;      // once: a skipped update is retried on the next batches
                poisoned = true;
                var grad = m.parameters().First().grad!;
                using var _ = TorchSharp.torch.no_grad();
                grad.view(-1)[0] = TorchSharp.torch.tensor(float.NaN);
            },
        };
        return (trainer.Run(), trainer);
    }

    [Fact]
    public void A_nan_gradient_stops_the_run_and_never_reaches_the_weights_or_a_checkpoint()
    {
        var (outcome, trainer) = TrainPoisoned(Tiny(12), "nan-grad-stop", poisonedStep: 6);
        Assert.Equal(StopReason.NonFinite, outcome.Reason);
        Assert.Contains("gradient norm became NaN at step 6", outcome.Message);
        Assert.Equal(5, outcome.Step);
        var saved = Assert.Single(trainer.Checkpoints.List());
        Assert.Equal(4, saved.step);                                   // the checkpoint before it, untouched
        AssertFinite(saved.path);
    }

    [Fact]
    public void A_nan_gradient_with_on_nonfinite_skip_drops_that_update_and_trains_on()
    {
        var config = Tiny(8) with { Training = Tiny(8).Training with { OnNonfinite = NonFiniteAction.Skip } };
        var (outcome, trainer) = TrainPoisoned(config, "nan-grad-skip", poisonedStep: 3);
        Assert.Equal(StopReason.MaxSteps, outcome.Reason);
        Assert.Equal(8, outcome.Step);
        var skipped = File.ReadLines(Path.Combine(root, "nan-grad-skip", "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("skipped_updates", out _))
            .Sum(e => e.GetProperty("skipped_updates").GetDouble());
        Assert.Equal(1, skipped);
        foreach (var (_, path) in trainer.Checkpoints.List()) AssertFinite(path);
    }

    private static void AssertFinite(string checkpoint)
    {
        using var file = Transformer.Engine.Safetensors.Load(Path.Combine(checkpoint, Checkpoint.ModelFile));
        foreach (var (name, tensor) in file.Tensors)
            Assert.True(tensor.isfinite().all().item<bool>(), $"{name} in {checkpoint} is not finite");
    }

    [Fact]
    public void Resuming_a_finished_run_trains_nothing_and_moves_nothing()
    {
        var run = Path.Combine(root, "finished");
        Train(Tiny(8), run);
        var before = Directory.GetFileSystemEntries(Path.Combine(run, "checkpoints")).Order().ToArray();
        var best = new CheckpointStore(Path.Combine(run, "checkpoints")).Best;
        var (outcome, losses) = Train(Tiny(8), run, resume: true);
        Assert.Equal(StopReason.AlreadyFinished, outcome.Reason);
        Assert.Equal(8, outcome.Step);
        Assert.Equal(8, losses.Length);
        Assert.Equal(before, Directory.GetFileSystemEntries(Path.Combine(run, "checkpoints")).Order().ToArray());
        Assert.Equal(best, new CheckpointStore(Path.Combine(run, "checkpoints")).Best);
        Assert.Contains("already finished: reached max_steps at step 8", outcome.Message);
    }

    [Fact]
    public void A_run_ended_by_max_epochs_saves_its_final_step_and_a_resume_finds_it_finished()
    {
        var config = Tiny(100000) with { Training = Tiny(100000).Training with { MaxSteps = null, MaxEpochs = 1 } };
        var run = Path.Combine(root, "epochs");
        var (outcome, _) = Train(config, run);
        Assert.Equal(StopReason.MaxEpochs, outcome.Reason);
        Assert.Equal(outcome.Step, new CheckpointStore(Path.Combine(run, "checkpoints")).Latest!.Value.step);
        var (again, _) = Train(config, run, resume: true);
        Assert.Equal(StopReason.AlreadyFinished, again.Reason);
        Assert.Equal(outcome.Step, again.Step);
    }

    [Fact]
    public void Steady_training_creates_no_tensor_outside_a_dispose_scope()
    {
        // The GC cannot see native memory: a tensor left to its finalizer grows RSS until a collection happens to
        // run. After the first steps (which create the optimizer state), no step, evaluation or checkpoint may leave
        // one: TorchSharp counts the tensors this thread created and has not disposed (a finalizer runs elsewhere).
        var config = Tiny(40) with
        {
            Training = Tiny(40).Training with { LogEvery = 1, EvalEvery = 10, ClipGradNorm = 1.0 },
            Checkpoint = new CheckpointConfig { Every = 10, KeepLast = 2 },
        };
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        var outside = new Dictionary<long, long>();
        var observer = new StepProbe(step => outside[step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        new Trainer(config, model, data, Path.Combine(root, "scopes"), observer).Run();
        Assert.Equal(outside[5], outside[40]);
    }

    private sealed class StepProbe(Action<long> probe) : ITrainingObserver
    {
        public void OnLog(long step, IReadOnlyDictionary<string, double> metrics) => probe(step);
    }
}
