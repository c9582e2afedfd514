// Optimizer and schedule from their config sections.
using Transformer.Configuration;
using Transformer.Engine;
using Transformer.Training.Schedules;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class TrainingFactories
{
    public static optim.Optimizer Optimizer(OptimizerConfig config, nn.Module model) => config.Name switch
    {
        // One pass per parameter (Engine/FusedAdamW.cs); the same state and, within float rounding, the same update as optim.AdamW.
        OptimizerKind.AdamW => new FusedAdamW(model.parameters(), config.Lr, config.Betas.Beta1, config.Betas.Beta2, config.Eps, config.WeightDecay),
        OptimizerKind.Adam => optim.Adam(model.parameters(), config.Lr, config.Betas.Beta1, config.Betas.Beta2, config.Eps, config.WeightDecay),
        OptimizerKind.Sgd => optim.SGD(model.parameters(), config.Lr, config.Momentum, weight_decay: config.WeightDecay, nesterov: config.Nesterov),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Name, "unknown optimizer"),
    };

    /// <summary>The schedule over optimizer steps; `lr` is its peak. Cosine and linear decay need max_steps.</summary>
    public static LearningRateSchedule Schedule(TrainingConfig training)
    {
        var s = training.Schedule;
        var lr = training.Optimizer.Lr;
        long Total() => training.MaxSteps ?? throw new ConfigException("training.schedule.name", s.Name.ToString().ToLowerInvariant(),
            "training.max_steps to be set (the schedule decays to it)");
        return s.Name switch
        {
            ScheduleKind.InverseSqrt => new InverseSqrtSchedule(lr, Math.Max(1, s.WarmupSteps)),
            ScheduleKind.Cosine => new CosineSchedule(lr, s.WarmupSteps, Total(), s.MinLr),
            ScheduleKind.Linear => new LinearSchedule(lr, s.WarmupSteps, Total(), s.MinLr),
            ScheduleKind.Constant => new ConstantSchedule(lr, s.WarmupSteps),
            _ => throw new ArgumentOutOfRangeException(nameof(training), s.Name, "unknown schedule"),
        };
    }
}
