// The paper's schedule (Vaswani et al. §5.3): linear warm-up to the peak, then decay ∝ 1/√step.
// lr(step) = peak · min(step / warmup, √(warmup / step)). With peak = d_model^-0.5 · warmup^-0.5 this is
// exactly d_model^-0.5 · min(step^-0.5, step · warmup^-1.5); PaperPeak computes that peak.
namespace Transformer.Training.Schedules;

public sealed class InverseSqrtSchedule : LearningRateSchedule
{
    public InverseSqrtSchedule(double peakLearningRate, long warmupSteps)
    {
        if (!(peakLearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "the peak learning rate must be positive");
        if (warmupSteps < 1) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "inverse_sqrt needs at least 1 warm-up step");
        Peak = peakLearningRate;
        WarmupSteps = warmupSteps;
    }

    public double Peak { get; }
    public long WarmupSteps { get; }

    /// <summary>The paper's peak, d_model^-0.5 · warmup^-0.5 (≈ 7.0e-4 for d_model 512 and 4,000 warm-up steps).</summary>
    public static double PaperPeak(int dModel, long warmupSteps) => 1 / Math.Sqrt(dModel) / Math.Sqrt(warmupSteps);

    public override double At(long step)
    {
        CheckStep(step);
        return Peak * Math.Min((double)step / WarmupSteps, Math.Sqrt((double)WarmupSteps / step));
    }
}
