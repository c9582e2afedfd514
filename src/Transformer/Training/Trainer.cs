// The training loop: step = scope { forward → loss → backward } (× grad_accumulation) → clip →
// schedule → optimizer; evaluation, early stopping and checkpoints every N steps; limits by steps,
// epochs or wall time. Same config and seed ⇒ the same loss sequence, bit for bit, and a run resumed
// from a checkpoint continues exactly as if it had never stopped (model, optimizer, RNG and data
// cursor are all restored). training.freeze and optimizer.pretrained_lr shape the optimizer (ParameterGroups).
// Under mpirun each rank trains a replica on its share of every global batch, gradients are summed over the
// ranks before clipping, and rank 0 alone writes the run.
using System.Diagnostics;
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Distributed;
using Transformer.Engine;
using Transformer.Models;
using TorchSharp;
using Transformer.Training.Checkpoints;
using Transformer.Training.Schedules;
using Transformer.Training.TensorBoard;
using static TorchSharp.torch;

namespace Transformer.Training;

public sealed class Trainer
{
    private readonly ExperimentConfig config;
    private readonly nn.Module model;
    private readonly IBatchSource data;
    private readonly CheckpointStore store;
    private readonly MetricsLog log;
    private readonly TensorBoardLog? tensorboard;
    private readonly ITrainingObserver observer;
    private readonly LearningRateSchedule schedule;
    private readonly Func<nn.Module, IReadOnlyDictionary<string, double>>? extraValidation;
    private readonly ICommunicator communicator;
    private readonly GradientBuckets? buckets;
    /// <summary>Whether this process writes the run (metrics, checkpoints, display): rank 0 alone.</summary>
    private readonly bool writes;

    /// <param name="extraValidation">More validation metrics computed from the model at each evaluation (such as
    /// generation metrics); logged with the prefix valid_.</param>
    /// <param name="communicator">The ranks training together (<see cref="Communicator.FromEnvironment"/>); one
    /// process when null.</param>
    public Trainer(ExperimentConfig config, nn.Module model, IBatchSource data, string runDirectory, ITrainingObserver? observer = null,
        Func<nn.Module, IReadOnlyDictionary<string, double>>? extraValidation = null, ICommunicator? communicator = null)
    {
        this.extraValidation = extraValidation;
        this.config = config;
        this.model = model;
        this.data = data;
        this.communicator = communicator ?? SingleProcess.Instance;
        writes = this.communicator.Rank == 0;
        if (this.communicator.Size > 1)
            buckets = new GradientBuckets(this.communicator, (long)(config.Training.AllreduceBucketMb * 1024 * 1024));
        this.observer = writes ? observer ?? new SilentObserver() : new SilentObserver();
        if (writes) Directory.CreateDirectory(runDirectory);
        store = new CheckpointStore(Path.Combine(runDirectory, "checkpoints"), cleanUp: writes);
        log = new MetricsLog(Path.Combine(runDirectory, MetricsLog.FileName));
        if (config.Training.Tensorboard && writes) tensorboard = new TensorBoardLog(Path.Combine(runDirectory, TensorBoardLog.DirectoryName));
        schedule = TrainingFactories.Schedule(config.Training);
    }

    public CheckpointStore Checkpoints => store;

    /// <summary>Fault injection for tests: called with the model and the step about to be taken, after the backward
    /// passes and before the gradient check (to plant a NaN in a gradient, say).</summary>
    internal Action<nn.Module, long>? AfterBackward { get; init; }

    /// <summary>What model.init_from copied into a new run's model (PretrainedWeights.Apply), kept in its checkpoints'
    /// trainer.json; a resumed run keeps what its checkpoint says.</summary>
    public InitReport? InitFrom { get; init; }

    /// <summary>Each parameter group's peak rate over lr: the schedule's rate times this is the group's rate.</summary>
    private double[] lrScales = [1.0];

    /// <summary>Where a run stands between steps: what a checkpoint records, plus the statistics of the current
    /// log window.</summary>
    private sealed class Progress(TrainerState state)
    {
        public TrainerState State = state;
        public long Step = state.Step;
        public long Epoch;
        public long Position;
        public long TokensSeen = state.TokensSeen;
        private readonly double elapsedBefore = state.ElapsedSeconds;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        public readonly LogWindow Window = new();
        public Dictionary<string, double> LastValidation = new();
        public string? LastCheckpoint;
        public long? LastSavedStep, LastSavedEpoch;
        /// <summary>What stopped the run when a loss or gradient was not finite ("loss became NaN").</summary>
        public string NonFinite = "";
        /// <summary>Training seconds, counting those of the run's earlier pieces.</summary>
        public double Elapsed => elapsedBefore + clock.Elapsed.TotalSeconds;
    }

    /// <summary>Trains until a limit, early stopping, a non-finite loss (when configured to stop) or cancellation
    /// (which finishes the current step and saves). With <paramref name="resume"/>, continues from the latest
    /// complete checkpoint of the run.</summary>
    public TrainingOutcome Run(bool resume = false, CancellationToken cancel = default)
    {
        var training = config.Training;
        var groups = ParameterGroups.Of(config, model);
        groups.Freeze();
        using var optimizer = TrainingFactories.Optimizer(training.Optimizer, groups.Groups);
        lrScales = groups.Groups.Select(g => g.Lr / training.Optimizer.Lr).ToArray();
        var run = Start(optimizer, resume);
        run.Window.MaskedTokens = model is EncoderMlm;
        if (resume && Finished(run) is { } done)
            return new TrainingOutcome(StopReason.AlreadyFinished, run.Step, run.Epoch, store.Latest?.path, store.Best, run.LastValidation,
                $"the run had already finished: {Describe(done, run.Step, run.Epoch)}; nothing to train (raise the limit with --set to go on)");
        model.train();
        tensorboard?.Begin(run.Step, ConfigWriter.ToYaml(config));
        observer.OnStart(run.Step, training.MaxSteps);

        StopReason? reason = null;
        var message = "";
        for (; reason is null; run.Epoch++, run.Position = 0)
        {
            if (training.MaxEpochs is { } maxEpochs && run.Epoch >= maxEpochs)
            {
                reason = StopReason.MaxEpochs;
                // The final state, with the cursor at the next epoch, so that a resume knows the run is finished: evaluated
                // and saved when the epoch ended between checkpoints, re-saved when the last checkpoint was its last step.
                if (run.LastSavedStep != run.Step) Save(optimizer, run, Evaluate(run).improved);
                else if (run.LastSavedEpoch != run.Epoch) Save(optimizer, run, improved: false);
                break;
            }
            using var batches = data.Epoch(run.Epoch, run.Position).GetEnumerator();
            while (reason is null)
            {
                var outcome = TrainStep(optimizer, run, batches);
                if (outcome is StepOutcome.EndOfEpoch) break;
                if (outcome is StepOutcome.Skipped) continue;
                if (outcome is StepOutcome.NonFinite)
                {
                    reason = StopReason.NonFinite;
                    message = $"{run.NonFinite} at step {run.Step + 1} (epoch {run.Epoch}, batch {run.Position - 1}); stopped without saving "
                        + "a checkpoint from this state (training.on_nonfinite: skip would skip it)";
                    break;
                }
                if (run.Step % training.LogEvery == 0 && run.Window.HasData)
                {
                    var metrics = run.Window.Flush(schedule.At(run.Step), run.Elapsed, run.TokensSeen);
                    if (writes) log.Append(run.Step, "train", metrics);
                    tensorboard?.Append(run.Step, "train", metrics);
                    observer.OnLog(run.Step, metrics);
                }
                var limit = training.MaxSteps is { } maxSteps && run.Step >= maxSteps ? StopReason.MaxSteps
                    : training.MaxTime is { } maxTime && run.Elapsed >= maxTime.TotalSeconds ? StopReason.MaxTime
                    : cancel.IsCancellationRequested ? StopReason.Cancelled : (StopReason?)null;
                limit = Agreed(limit);
                var (improved, early) = run.Step % training.EvalEvery == 0 || limit is not null ? Evaluate(run) : (false, null);
                if (run.Step % config.Checkpoint.Every == 0 || limit is not null || improved || early is not null)
                    Save(optimizer, run, improved);
                if (early is not null) (reason, message) = (StopReason.EarlyStopping, early);
                else reason = limit;
            }
            if (reason is not null) break;
        }
        message = message.Length > 0 ? message : Describe(reason.Value, run.Step, run.Epoch);
        return new TrainingOutcome(reason.Value, run.Step, run.Epoch, run.LastCheckpoint, store.Best, run.LastValidation, message);
    }

    /// <summary>A fresh run seeded from the config, or the latest checkpoint's model, optimizer, generator and cursor.</summary>
    private Progress Start(optim.Optimizer optimizer, bool resume)
    {
        if (!resume || store.Latest is not { } latest)
        {
            // A run killed before its first checkpoint starts over: what it logged is dropped with it.
            if (resume) Truncate(0);
            manual_seed(config.Seed);
            SeedRank(0);
            GradientBuckets.BroadcastParameters(communicator, model.parameters());
            return new Progress(new TrainerState { DataCursor = JsonSerializer.SerializeToNode(new DataCursor(0, 0)), InitFrom = InitFrom });
        }
        var state = Checkpoint.ReadState(latest.path);
        if (state.Step != latest.step)
            throw new CheckpointException(latest.path, $"trainer.json says step {state.Step}, the directory step {latest.step}");
        Checkpoint.LoadModel(latest.path, model);
        Checkpoint.LoadOptimizer(latest.path, optimizer);
        var saved = Convert.FromBase64String(state.CpuRngState
            ?? throw new CheckpointException(latest.path, "has no random generator state to resume from"));
        using (var rng = TensorBytes.FromBytes(saved, [saved.Length], ScalarType.Byte)) set_rng_state(rng);
        SeedRank(state.Step);
        GradientBuckets.BroadcastParameters(communicator, model.parameters());
        Truncate(state.Step);
        var cursor = state.DataCursor?.Deserialize<DataCursor>() ?? new DataCursor(0, 0);
        var progress = new Progress(state) { Epoch = cursor.Epoch, Position = cursor.Position, LastSavedStep = state.Step, LastSavedEpoch = cursor.Epoch, LastCheckpoint = latest.path };
        progress.Window.Restore(state.LogWindow, state.ElapsedSeconds, state.TokensSeen);
        return progress;
    }

    /// <summary>Ranks other than 0 draw their dropout masks from a stream of their own, derived from (seed, rank, the
    /// step the run starts at), so a run is reproducible for the same number of ranks; rank 0 keeps the seed's (and a
    /// checkpoint's) generator, as one process does.</summary>
    private void SeedRank(long step)
    {
        if (communicator.Rank == 0) return;
        manual_seed(unchecked((long)SplitMix64.For(config.Seed, communicator.Rank, step).NextUInt64()));
    }

    /// <summary>max_time and an interrupt are seen by each rank at its own moment; every rank stops when one does,
    /// so that no rank waits in a collective the others have left.</summary>
    private StopReason? Agreed(StopReason? limit)
    {
        if (communicator.Size == 1 || limit == StopReason.MaxSteps) return limit;
        Span<double> votes = [limit == StopReason.MaxTime ? 1 : 0, limit == StopReason.Cancelled ? 1 : 0];
        communicator.AllReduceSum(votes);
        return votes[0] > 0 ? StopReason.MaxTime : votes[1] > 0 ? StopReason.Cancelled : null;
    }

    /// <summary>Drops what a run logged after the step it resumes from (it logs those steps again).</summary>
    private void Truncate(long step)
    {
        if (!writes) return;
        log.TruncateAfter(step);
        tensorboard?.TruncateAfter(step);
    }

    /// <summary>The limit a resumed run had already reached when its latest checkpoint was saved, if any.</summary>
    private StopReason? Finished(Progress run)
    {
        var training = config.Training;
        if (training.MaxSteps is { } maxSteps && run.Step >= maxSteps) return StopReason.MaxSteps;
        if (training.MaxEpochs is { } maxEpochs && run.Epoch >= maxEpochs) return StopReason.MaxEpochs;
        if (training.MaxTime is { } maxTime && run.Elapsed >= maxTime.TotalSeconds) return StopReason.MaxTime;
        if (Patience(run.State) is not null) return StopReason.EarlyStopping;
        return null;
    }

    private enum StepOutcome { Stepped, Skipped, EndOfEpoch, NonFinite }

    /// <summary>One optimizer step: grad_accumulation batches of forward → loss → backward (each in its own dispose
    /// scope), then clipping, the scheduled learning rate and the update. A batch whose loss is not finite, or an
    /// update whose gradient norm is not, is skipped or stops the run, as training.on_nonfinite says; either way the
    /// weights never see it.</summary>
    private StepOutcome TrainStep(optim.Optimizer optimizer, Progress run, IEnumerator<Batch> batches)
    {
        var training = config.Training;
        for (var accumulated = 0; accumulated < training.GradAccumulation;)
        {
            if (!batches.MoveNext()) return StepOutcome.EndOfEpoch;
            using var batch = batches.Current;
            using var scope = NewDisposeScope();
            run.Position++;
            if (communicator.Size > 1)
            {
                var share = ShardStep(batch, run);
                if (share is StepOutcome.NonFinite) return share;
                if (share is StepOutcome.Skipped) continue;
                run.TokensSeen += batch.RealTokens;
                accumulated++;
                continue;
            }
            var result = ComputeObjective(batch);
            var loss = result.Loss.item<float>();
            if (!float.IsFinite(loss))
            {
                if (training.OnNonfinite == NonFiniteAction.Stop)
                {
                    run.NonFinite = $"loss became {loss}";
                    DropGradients(optimizer);
                    return StepOutcome.NonFinite;
                }
                run.Window.Skipped++;
                continue;
            }
            (training.GradAccumulation == 1 ? result.Loss : result.Loss / training.GradAccumulation).backward();
            run.Window.Add(loss, result.Tokens, result.Correct);
            run.TokensSeen += batch.RealTokens;
            accumulated++;
        }
        using (NewDisposeScope())
        {
            buckets?.SumInto(optimizer.parameters().ToList());
            AfterBackward?.Invoke(model, run.Step + 1);
            var norm = GradientNorm(training.ClipGradNorm);
            if (!double.IsFinite(norm))
            {
                DropGradients(optimizer);
                if (training.OnNonfinite == NonFiniteAction.Stop)
                {
                    run.NonFinite = $"the gradient norm became {norm}";
                    return StepOutcome.NonFinite;
                }
                run.Window.SkippedUpdates++;
                return StepOutcome.Skipped;
            }
            if (training.ClipGradNorm is not null) run.Window.GradNorm = norm;
            var lr = schedule.At(run.Step + 1);
            var g = 0;
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr * lrScales[g++];
            optimizer.step();
            DropGradients(optimizer);
        }
        run.Step++;
        return StepOutcome.Stepped;
    }

    /// <summary>Forward and loss in the run's precision (training.precision); the backward retraces its casts, so the
    /// gradients land in float32 on the master weights.</summary>
    private Objective.Result ComputeObjective(Batch batch)
    {
        using var _ = MatmulPrecision.Use(config.Training.Precision);
        return Objective.Compute(model, batch, config.Training.LabelSmoothing);
    }

    /// <summary>This rank's share of one batch: forward and loss over its rows, then backward of the loss weighted by
    /// the share's part of the batch's tokens (all-reduced), so that the gradients summed over the ranks are the
    /// gradient of the whole batch's mean loss, as one process computes it. The loss, token and hit counts logged are
    /// the whole batch's. Skipped or NonFinite (the run stops) when the batch's loss is not finite on some rank.</summary>
    private StepOutcome ShardStep(Batch batch, Progress run)
    {
        var training = config.Training;
        using var shard = BatchShard.Take(batch, communicator.Rank, communicator.Size);
        var result = shard is null ? null : ComputeObjective(shard);
        var localLoss = result?.Loss.item<float>() ?? 0f;
        Span<double> totals = [result is null ? 0 : (double)localLoss * result.Tokens, result?.Tokens ?? 0, result?.Correct ?? 0];
        communicator.AllReduceSum(totals);
        var loss = (float)(totals[0] / totals[1]);
        if (!float.IsFinite(loss))
        {
            if (training.OnNonfinite == NonFiniteAction.Stop)
            {
                run.NonFinite = $"loss became {loss}";
                foreach (var p in model.parameters()) p.grad = null;
                return StepOutcome.NonFinite;
            }
            run.Window.Skipped++;
            return StepOutcome.Skipped;
        }
        if (result is not null)
            (result.Loss * (float)(result.Tokens / totals[1] / training.GradAccumulation)).backward();
        run.Window.Add(loss, (long)totals[1], (long)totals[2]);
        return StepOutcome.Stepped;
    }

    /// <summary>The total gradient norm, after clipping it to <paramref name="maxNorm"/> when given (clipping skipped
    /// when the norm is not finite, so the check below sees it).</summary>
    private double GradientNorm(double? maxNorm)
    {
        var grads = model.parameters().Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => linalg.vector_norm(g)).ToArray()).norm().item<float>();
        // torch.nn.utils.clip_grad_norm_'s rule, in float32 as it computes it.
        var scale = maxNorm is { } max ? (float)max / (total + 1e-6f) : 1f;
        if (float.IsFinite(total) && scale < 1f)
        {
            using var _ = no_grad();
            foreach (var g in grads) g.mul_(scale);
        }
        return total;
    }

    /// <summary>PyTorch's zero_grad(set_to_none=True), not TorchSharp's zeroing: no pass over every gradient, and the
    /// next backward writes fresh gradients instead of adding into zeros.</summary>
    private static void DropGradients(optim.Optimizer optimizer)
    {
        foreach (var p in optimizer.parameters()) p.grad = null;
    }

    /// <summary>Validation metrics (and extra validation) logged and observed; whether this step is the new best
    /// checkpoint, and early stopping's message when patience ran out.</summary>
    private (bool improved, string? early) Evaluate(Progress run)
    {
        Dictionary<string, double> metrics;
        using (MatmulPrecision.Use(config.Training.Precision))   // validation in the precision the run trains in
        {
            metrics = Evaluator.Evaluate(model, data.Validation(), communicator: communicator);
            if (extraValidation is not null)
                foreach (var (name, value) in extraValidation(model)) metrics["valid_" + name] = value;
        }
        run.LastValidation = metrics;
        var logged = new Dictionary<string, double>(metrics) { ["elapsed_s"] = run.Elapsed };
        if (writes) log.Append(run.Step, "valid", logged);
        tensorboard?.Append(run.Step, "valid", logged);
        var improved = Improved(ref run.State, metrics, run.Step);
        observer.OnEvaluation(run.Step, metrics, improved);
        return (improved, Patience(run.State));
    }

    /// <summary>Tracks the best checkpoint and early stopping's patience after an evaluation; true when this
    /// step becomes the best checkpoint. A tie moves the best checkpoint to the later step (it has trained longer,
    /// as fairseq's checkpoint_best), but only a strict improvement resets the patience, so a metric that has
    /// saturated (accuracy 1.0) still stops training.</summary>
    private bool Improved(ref TrainerState state, IReadOnlyDictionary<string, double> metrics, long step)
    {
        var best = false;
        if (config.Checkpoint.KeepBestBy is { } metric)
        {
            var value = Metric(metrics, metric, "checkpoint.keep_best_by");
            best = state.BestValue is not { } bestSoFar
                || (config.Checkpoint.BestMode == MetricMode.Min ? value <= bestSoFar : value >= bestSoFar);
            if (best) state = state with { BestMetric = metric, BestValue = value, BestStep = step };
        }
        if (config.Training.EarlyStopping is { } early)
        {
            var value = Metric(metrics, early.Metric, "training.early_stopping.metric");
            // Checkpoints written before early_stopping_best existed kept the watched value in best_value.
            var watched = state.EarlyStoppingBest ?? (state.BestMetric == early.Metric ? state.BestValue : null);
            var improved = watched is not { } previous
                || (early.Mode == MetricMode.Min ? value < previous : value > previous);
            state = improved
                ? state with { EarlyStoppingBest = value, EvaluationsWithoutImprovement = 0 }
                : state with { EarlyStoppingBest = watched, EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
        }
        return best;
    }

    private static double Metric(IReadOnlyDictionary<string, double> metrics, string name, string key) =>
        metrics.TryGetValue(name, out var value) ? value
            : throw new ConfigException(key, name, $"one of this experiment's validation metrics ({string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))})");

    private string? Patience(TrainerState state)
    {
        if (config.Training.EarlyStopping is not { } early) return null;
        return state.EvaluationsWithoutImprovement >= early.Patience
            ? $"early stopping: {early.Metric} did not improve for {early.Patience} evaluations (best {state.EarlyStoppingBest:G6})"
            : null;
    }

    private void Save(optim.Optimizer optimizer, Progress run, bool improved)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
            if (!p.isfinite().all().item<bool>())
                throw new TrainingException($"parameter {name} is not finite at step {run.Step}; refusing to write a poisoned checkpoint (the last one stays as it was)");
        using var rng = get_rng_state();
        run.State = run.State with
        {
            Step = run.Step, Epoch = run.Epoch, DataCursor = JsonSerializer.SerializeToNode(new DataCursor(run.Epoch, run.Position)),
            CpuRngState = Convert.ToBase64String(rng.bytes), TokensSeen = run.TokensSeen, ElapsedSeconds = run.Elapsed,
            LogWindow = run.Window.State,
        };
        var path = store.PathFor(run.Step);
        if (writes)
        {
            Checkpoint.Save(path, model, optimizer, run.State);
            if (improved) store.MarkBest(run.Step);
            store.Prune(config.Checkpoint.KeepLast);
            observer.OnCheckpoint(run.Step, path);
        }
        run.LastCheckpoint = path;
        (run.LastSavedStep, run.LastSavedEpoch) = (run.Step, run.Epoch);
    }

    private static string Describe(StopReason reason, long step, long epoch) => reason switch
    {
        StopReason.MaxSteps => $"reached max_steps at step {step}",
        StopReason.MaxEpochs => $"reached max_epochs ({epoch}) at step {step}",
        StopReason.MaxTime => $"reached max_time at step {step}",
        StopReason.Cancelled => $"interrupted at step {step}; saved",
        StopReason.EarlyStopping => $"stopped early at step {step}",
        _ => $"stopped at step {step}",
    };

    private sealed class SilentObserver : ITrainingObserver;
}
