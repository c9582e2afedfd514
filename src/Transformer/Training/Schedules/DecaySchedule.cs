// Linear warm-up to the peak, then a decay from the peak to a floor over the remaining steps, shaped by
// Shape(progress ∈ [0, 1]) ∈ [1, 0]; the floor holds after the last step.
namespace Transformer.Training.Schedules;

public abstract class DecaySchedule : LearningRateSchedule
{
    protected DecaySchedule(double peakLearningRate, long warmupSteps, long totalSteps, double minLearningRate)
    {
        if (!(peakLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "the peak learning rate must be positive");
        if (warmupSteps < 0 || totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"a decaying schedule needs total steps beyond the warm-up ({warmupSteps})");
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "min_lr must be in [0, peak]");
        (Peak, WarmupSteps, TotalSteps, Floor) = (peakLearningRate, warmupSteps, totalSteps, minLearningRate);
    }

    public double Peak { get; }
    public long WarmupSteps { get; }
    public long TotalSteps { get; }
    public double Floor { get; }

    /// <summary>The fraction of (peak − floor) left at <paramref name="progress"/> through the decay.</summary>
    protected abstract double Shape(double progress);

    public sealed override double At(long step)
    {
        CheckStep(step);
        if (step <= WarmupSteps) return Peak * Warmup(step, WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return Floor + (Peak - Floor) * Shape(progress);
    }
}
