// Linear warm-up to the peak, then a half cosine from the peak down to a floor at the last step
// (Loshchilov & Hutter's SGDR without restarts); the floor holds after it.
namespace Transformer.Training.Schedules;

public sealed class CosineSchedule : LearningRateSchedule
{
    public CosineSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double minLearningRate = 0)
    {
        if (!(peakLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "the peak learning rate must be positive");
        if (warmupSteps < 0 || totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"cosine needs total steps beyond the warm-up ({warmupSteps})");
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "min_lr must be in [0, peak]");
        (Peak, WarmupSteps, TotalSteps, Floor) = (peakLearningRate, warmupSteps, totalSteps, minLearningRate);
    }

    public double Peak { get; }
    public long WarmupSteps { get; }
    public long TotalSteps { get; }
    public double Floor { get; }

    public override double At(long step)
    {
        CheckStep(step);
        if (step <= WarmupSteps) return Peak * Warmup(step, WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return Floor + (Peak - Floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
