// Linear warm-up, then a straight line from the peak down to the floor.
namespace Transformer.Training.Schedules;

public sealed class LinearSchedule(double peakLearningRate, long warmupSteps, long totalSteps, double minLearningRate = 0)
    : DecaySchedule(peakLearningRate, warmupSteps, totalSteps, minLearningRate)
{
    protected override double Shape(double progress) => 1 - progress;
}
