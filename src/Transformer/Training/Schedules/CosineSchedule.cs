// Linear warm-up, then a half cosine from the peak down to the floor (Loshchilov & Hutter's SGDR without restarts).
namespace Transformer.Training.Schedules;

public sealed class CosineSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double minLearningRate = 0)
    : DecaySchedule(peakLearningRate, warmupSteps, totalSteps, minLearningRate)
{
    protected override double Shape(double progress) => 0.5 * (1 + Math.Cos(Math.PI * progress));
}
