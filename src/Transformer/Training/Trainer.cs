// The training loop: step = scope { forward → loss → backward } (× grad_accumulation) → clip →
// schedule → optimizer; evaluation, early stopping and checkpoints every N steps; limits by steps,
// epochs or wall time. Same config and seed ⇒ the same loss sequence, bit for bit, and a run resumed
// from a checkpoint continues exactly as if it had never stopped (model, optimizer, RNG and data
// cursor are all restored).
using System.Diagnostics;
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Torch;
using Transformer.Training.Checkpoints;
using Transformer.Training.Schedules;
using static Transformer.Torch.torch;

namespace Transformer.Training;

public sealed class Trainer
{
    private readonly ExperimentConfig config;
    private readonly nn.Module model;
    private readonly IBatchSource data;
    private readonly CheckpointStore store;
    private readonly MetricsLog log;
    private readonly ITrainingObserver observer;
    private readonly LearningRateSchedule schedule;
    private readonly Func<nn.Module, IReadOnlyDictionary<string, double>>? extraValidation;

    /// <param name="extraValidation">More validation metrics computed from the model at each evaluation (such as
    /// generation metrics); logged with the prefix valid_.</param>
    public Trainer(ExperimentConfig config, nn.Module model, IBatchSource data, string runDirectory, ITrainingObserver? observer = null,
        Func<nn.Module, IReadOnlyDictionary<string, double>>? extraValidation = null)
    {
        this.extraValidation = extraValidation;
        this.config = config;
        this.model = model;
        this.data = data;
        this.observer = observer ?? new SilentObserver();
        Directory.CreateDirectory(runDirectory);
        store = new CheckpointStore(Path.Combine(runDirectory, "checkpoints"));
        log = new MetricsLog(Path.Combine(runDirectory, "metrics.jsonl"));
        schedule = TrainingFactories.Schedule(config.Training);
    }

    public CheckpointStore Checkpoints => store;

    /// <summary>Trains until a limit, early stopping, a non-finite loss (when configured to stop) or cancellation
    /// (which finishes the current step and saves). With <paramref name="resume"/>, continues from the latest
    /// complete checkpoint of the run.</summary>
    public TrainingOutcome Run(bool resume = false, CancellationToken cancel = default)
    {
        var training = config.Training;
        using var optimizer = TrainingFactories.Optimizer(training.Optimizer, model);
        var state = new TrainerState { DataCursor = JsonSerializer.SerializeToNode(new DataCursor(0, 0)) };
        if (resume && store.Latest is { } latest)
        {
            Checkpoint.LoadModel(latest.path, model);
            Checkpoint.LoadOptimizer(latest.path, optimizer);
            state = Checkpoint.ReadState(latest.path);
            var saved = Convert.FromBase64String(state.CpuRngState
                ?? throw new CheckpointException(latest.path, "has no random generator state to resume from"));
            using var rng = frombuffer(saved, new long[] { saved.Length }, ScalarType.Byte);
            set_rng_state(rng);
            for (var device = 0; device < (state.CudaRngStates?.Count ?? 0); device++)
            {
                var bytes = Convert.FromBase64String(state.CudaRngStates![device]);
                using var cudaState = frombuffer(bytes, new long[] { bytes.Length }, ScalarType.Byte);
                cuda.set_rng_state(cudaState, device);
            }
            log.TruncateAfter(state.Step);
        }
        else manual_seed(config.Seed);

        var cursor = state.DataCursor?.Deserialize<DataCursor>() ?? new DataCursor(0, 0);
        var (step, epoch, position) = (state.Step, cursor.Epoch, cursor.Position);
        var clock = Stopwatch.StartNew();
        var elapsedBefore = state.ElapsedSeconds;
        double Elapsed() => elapsedBefore + clock.Elapsed.TotalSeconds;
        var tokensSeen = state.TokensSeen;
        var lastValidation = new Dictionary<string, double>();
        string? lastCheckpoint = null;
        model.train();
        observer.OnStart(step, training.MaxSteps);

        var window = new LogWindow();
        StopReason? reason = null;
        string message = "";
        while (reason is null)
        {
            if (training.MaxEpochs is { } maxEpochs && epoch >= maxEpochs) { reason = StopReason.MaxEpochs; break; }
            var accumulated = 0;
            foreach (var batch in data.Epoch(epoch, position))
            {
                var stepped = false;
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    position++;
                    var result = Objective.Compute(model, batch, training.LabelSmoothing);
                    var loss = result.Loss.item<float>();
                    if (!float.IsFinite(loss))
                    {
                        if (training.OnNonfiniteLoss == NonFiniteLossAction.Stop)
                        {
                            reason = StopReason.NonFiniteLoss;
                            message = $"loss became {loss} at step {step + 1} (epoch {epoch}, batch {position - 1}); stopped without saving a checkpoint from this state";
                            break;
                        }
                        window.Skipped++;
                        continue;
                    }
                    (training.GradAccumulation == 1 ? result.Loss : result.Loss / training.GradAccumulation).backward();
                    window.Add(loss, result.Tokens, result.Correct);
                    tokensSeen += batch.RealTokens;
                    if (++accumulated < training.GradAccumulation) continue;
                    accumulated = 0;
                    if (training.ClipGradNorm is { } maxNorm) window.GradNorm = nn.utils.clip_grad_norm_(model.parameters(), maxNorm);
                    var lr = schedule.At(step + 1);
                    optimizer.set_lr(lr);
                    optimizer.step();
                    optimizer.zero_grad();
                    step++;
                    stepped = true;
                }
                if (reason is not null) break;
                if (!stepped) continue;

                if (step % training.LogEvery == 0 && window.HasData)
                {
                    var metrics = window.Flush(schedule.At(step), Elapsed(), tokensSeen);
                    log.Append(step, "train", metrics);
                    observer.OnLog(step, metrics);
                }
                var limit = training.MaxSteps is { } maxSteps && step >= maxSteps ? StopReason.MaxSteps
                    : training.MaxTime is { } maxTime && Elapsed() >= maxTime.TotalSeconds ? StopReason.MaxTime
                    : cancel.IsCancellationRequested ? StopReason.Cancelled : (StopReason?)null;
                // Each optimizer step reaches this point once, so nothing is evaluated or saved twice.
                if (step % training.EvalEvery == 0 || limit is not null)
                {
                    lastValidation = Evaluator.Evaluate(model, data.Validation());
                    if (extraValidation is not null)
                        foreach (var (name, value) in extraValidation(model)) lastValidation["valid_" + name] = value;
                    log.Append(step, "valid", new Dictionary<string, double>(lastValidation) { ["elapsed_s"] = Elapsed() });
                    var improved = Improved(ref state, lastValidation, step);
                    observer.OnEvaluation(step, lastValidation, improved);
                    var early = Patience(state);
                    if (step % config.Checkpoint.Every == 0 || limit is not null || improved || early is not null)
                        lastCheckpoint = Save(optimizer, ref state, step, epoch, position, tokensSeen, Elapsed(), improved);
                    if (early is not null) { reason = StopReason.EarlyStopping; message = early; break; }
                }
                else if (step % config.Checkpoint.Every == 0)
                    lastCheckpoint = Save(optimizer, ref state, step, epoch, position, tokensSeen, Elapsed(), improved: false);
                if (limit is not null) { reason = limit; break; }
            }
            if (reason is not null) break;
            epoch++;
            position = 0;
        }
        message = message.Length > 0 ? message : Describe(reason.Value, step, epoch);
        return new TrainingOutcome(reason.Value, step, epoch, lastCheckpoint, store.Best, lastValidation, message);
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

    private string Save(optim.Optimizer optimizer, ref TrainerState state, long step, long epoch, long position, long tokensSeen, double elapsed, bool improved)
    {
        foreach (var (name, p) in model.named_parameters())
            if (!p.isfinite().all().item<bool>())
                throw new InvalidOperationException($"parameter {name} is not finite at step {step}; refusing to write a poisoned checkpoint");
        using var rng = get_rng_state();
        state = state with
        {
            Step = step, Epoch = epoch, DataCursor = JsonSerializer.SerializeToNode(new DataCursor(epoch, position)),
            CpuRngState = Convert.ToBase64String(rng.bytes()), CudaRngStates = CudaRngStates(), TokensSeen = tokensSeen, ElapsedSeconds = elapsed,
        };
        var path = store.PathFor(step);
        Checkpoint.Save(path, model, optimizer, state);
        if (improved) store.MarkBest(step);
        store.Prune(config.Checkpoint.KeepLast);
        observer.OnCheckpoint(step, path);
        return path;
    }

    /// <summary>Every CUDA generator's state, or null on a machine without CUDA.</summary>
    private static IReadOnlyList<string>? CudaRngStates()
    {
        if (!cuda.is_available()) return null;
        return Enumerable.Range(0, (int)cuda.device_count()).Select(device =>
        {
            using var state = cuda.get_rng_state(device);
            return Convert.ToBase64String(state.bytes());
        }).ToArray();
    }

    private static string Describe(StopReason reason, long step, long epoch) => reason switch
    {
        StopReason.MaxSteps => $"reached max_steps at step {step}",
        StopReason.MaxEpochs => $"reached max_epochs ({epoch}) at step {step}",
        StopReason.MaxTime => $"reached max_time at step {step}",
        StopReason.Cancelled => $"interrupted at step {step}; saved",
        _ => $"stopped at step {step}",
    };

    private sealed class SilentObserver : ITrainingObserver;
}
