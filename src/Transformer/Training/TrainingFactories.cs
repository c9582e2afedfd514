// Optimizer and schedule from their config sections.
using Transformer.Configuration;
using Transformer.Engine;
using Transformer.Training.Schedules;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class TrainingFactories
{
    /// <summary>The optimizer over every parameter of <paramref name="model"/> at lr. AdamW is FusedAdamW: one pass per
    /// parameter (Engine/FusedAdamW.cs); the same state and, within float rounding, the same update as optim.AdamW.</summary>
    public static optim.Optimizer Optimizer(OptimizerConfig config, nn.Module model) => Optimizer(config, model.parameters());

    /// <summary>The optimizer over <paramref name="groups"/>: one group is the optimizer over its parameters, as above;
    /// more are TorchSharp parameter groups, each at its own peak lr (in order, so that state_dict and checkpoints list
    /// them group by group).</summary>
    public static optim.Optimizer Optimizer(OptimizerConfig config, IReadOnlyList<ParameterGroup> groups)
    {
        if (groups.Count == 1 && groups[0].Lr == config.Lr)
            return Optimizer(config, groups[0].Parameters.Select(p => p.Parameter));
        var (b1, b2) = config.Betas;
        return config.Name switch
        {
            OptimizerKind.AdamW => new FusedAdamW(groups.Select(g => new TorchSharp.Modules.AdamW.ParamGroup(Parameters(g),
                new TorchSharp.Modules.AdamW.Options { LearningRate = g.Lr, InitialLearningRate = g.Lr })), config.Lr, b1, b2, config.Eps, config.WeightDecay),
            OptimizerKind.Adam => optim.Adam(groups.Select(g => new TorchSharp.Modules.Adam.ParamGroup(Parameters(g),
                new TorchSharp.Modules.Adam.Options { LearningRate = g.Lr, InitialLearningRate = g.Lr })), config.Lr, b1, b2, config.Eps, config.WeightDecay),
            OptimizerKind.Sgd => optim.SGD(groups.Select(g => new TorchSharp.Modules.SGD.ParamGroup(Parameters(g),
                new TorchSharp.Modules.SGD.Options { LearningRate = g.Lr, InitialLearningRate = g.Lr })), config.Lr, config.Momentum,
                weight_decay: config.WeightDecay, nesterov: config.Nesterov),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Name, "unknown optimizer"),
        };
    }

    private static IEnumerable<TorchSharp.Modules.Parameter> Parameters(ParameterGroup group) => group.Parameters.Select(p => p.Parameter);

    private static optim.Optimizer Optimizer(OptimizerConfig config, IEnumerable<TorchSharp.Modules.Parameter> parameters) => config.Name switch
    {
        OptimizerKind.AdamW => new FusedAdamW(parameters, config.Lr, config.Betas.Beta1, config.Betas.Beta2, config.Eps, config.WeightDecay),
        OptimizerKind.Adam => optim.Adam(parameters, config.Lr, config.Betas.Beta1, config.Betas.Beta2, config.Eps, config.WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, config.Lr, config.Momentum, weight_decay: config.WeightDecay, nesterov: config.Nesterov),
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
