// training.early_stopping: stop when a validation metric has stopped improving.
namespace Transformer.Configuration;

/// <summary>Early stopping; the whole section is null (off) by default.</summary>
public sealed record EarlyStoppingConfig
{
    /// <summary>The validation metric watched. Default valid_loss.</summary>
    public string Metric { get; init; } = "valid_loss";
    /// <summary>Evaluations in a row without improvement before stopping. Default 10.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>min (lower is better) or max. Default min.</summary>
    public MetricMode Mode { get; init; } = MetricMode.Min;

    public void Validate()
    {
        ConfigCheck.MetricName("training.early_stopping.metric", Metric);
        ConfigCheck.Positive("training.early_stopping.patience", Patience);
    }
}
