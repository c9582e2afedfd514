// How a training run ended, and where it left its results.
namespace Transformer.Training;

public enum StopReason
{
    MaxSteps,
    MaxEpochs,
    MaxTime,
    EarlyStopping,
    Cancelled,
    /// <summary>A loss or gradient norm was NaN or infinite and training.on_nonfinite is stop.</summary>
    NonFinite,
    /// <summary>A resumed run whose latest checkpoint had already reached a limit: nothing was trained.</summary>
    AlreadyFinished,
}

public sealed record TrainingOutcome(StopReason Reason, long Step, long Epoch, string? LastCheckpoint, string? BestCheckpoint,
    IReadOnlyDictionary<string, double> LastValidation, string Message);

/// <summary>What the trainer reports as it goes; the CLI renders it (live display or plain lines).</summary>
public interface ITrainingObserver
{
    void OnStart(long step, long? maxSteps) { }
    void OnLog(long step, IReadOnlyDictionary<string, double> metrics) { }
    void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) { }
    void OnCheckpoint(long step, string path) { }
}
