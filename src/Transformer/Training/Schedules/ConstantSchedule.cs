// A constant learning rate, after an optional linear warm-up.
namespace Transformer.Training.Schedules;

public sealed class ConstantSchedule : LearningRateSchedule
{
    public ConstantSchedule(double learningRate, long warmupSteps = 0)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warm-up steps cannot be negative");
        (LearningRate, WarmupSteps) = (learningRate, warmupSteps);
    }

    public double LearningRate { get; }
    public long WarmupSteps { get; }

    public override double At(long step)
    {
        CheckStep(step);
        return LearningRate * Warmup(step, WarmupSteps);
    }
}
