// A learning-rate schedule: the rate for a 1-based optimizer step. Schedules are pure functions of the
// step, so a resumed run needs only the step count to continue exactly.
namespace Transformer.Training.Schedules;

public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> (1 = the first update).</summary>
    public abstract double At(long step);

    protected static void CheckStep(long step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "optimizer steps count from 1");
    }

    /// <summary>Linear warm-up factor: step / warmup for step ≤ warmup, else 1.</summary>
    protected static double Warmup(long step, long warmupSteps) =>
        warmupSteps > 0 && step < warmupSteps ? (double)step / warmupSteps : 1.0;
}
