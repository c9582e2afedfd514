// Which learning-rate schedule training.schedule.name selects; every one warms up linearly over warmup_steps.
namespace Transformer.Configuration;

public enum ScheduleKind
{
    /// <summary>lr · min(step / warmup, √(warmup / step)): the paper's schedule with lr as its peak.</summary>
    [ConfigKey("inverse_sqrt")]
    InverseSqrt,
    /// <summary>Warm-up, then a half cosine from lr down to min_lr at training.max_steps.</summary>
    Cosine,
    /// <summary>Warm-up, then a straight line from lr down to min_lr at training.max_steps.</summary>
    Linear,
    /// <summary>Warm-up, then lr.</summary>
    Constant,
}
