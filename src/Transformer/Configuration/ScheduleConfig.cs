// training.schedule: how the learning rate moves over the steps.
namespace Transformer.Configuration;

/// <summary>The learning-rate schedule; training.optimizer.lr is its peak, reached at the end of the warm-up.</summary>
public sealed record ScheduleConfig
{
    /// <summary>inverse_sqrt, cosine, linear or constant. Default inverse_sqrt (the paper).</summary>
    public ScheduleKind Name { get; init; } = ScheduleKind.InverseSqrt;
    /// <summary>Steps of linear warm-up from 0 to lr. Default 4000 (the paper).</summary>
    public int WarmupSteps { get; init; } = 4000;
    /// <summary>Where cosine and linear decay end, at training.max_steps; must be 0 for the others. Default 0.</summary>
    public double MinLr { get; init; }

    /// <summary>Needs training.max_steps: the schedule decays over the whole run.</summary>
    public bool Decays => Name is ScheduleKind.Cosine or ScheduleKind.Linear;

    public void Validate()
    {
        var name = ConfigNaming.EnumValue(Name);
        ConfigCheck.NonNegative("training.schedule.warmup_steps", WarmupSteps);
        if (Name == ScheduleKind.InverseSqrt && WarmupSteps == 0)
            throw new ConfigException("training.schedule.warmup_steps", WarmupSteps, "a positive number of steps for inverse_sqrt");
        ConfigCheck.NonNegative("training.schedule.min_lr", MinLr);
        if (!Decays && MinLr != 0)
            throw new ConfigException("training.schedule.min_lr", MinLr, $"0 for {name} (only cosine and linear decay to it)");
    }
}
