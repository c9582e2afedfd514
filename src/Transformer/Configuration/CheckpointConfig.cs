// checkpoint: how often the run is saved and which checkpoints are kept.
namespace Transformer.Configuration;

/// <summary>Checkpointing. A checkpoint is also written when the run ends.</summary>
public sealed record CheckpointConfig
{
    /// <summary>Save every this many optimizer steps. Default 1000.</summary>
    public int Every { get; init; } = 1000;
    /// <summary>How many of the most recent step checkpoints are kept on disk. Default 5.</summary>
    public int KeepLast { get; init; } = 5;
    /// <summary>Also keep the checkpoint with the best value of this validation metric, or null for none.
    /// Default valid_loss.</summary>
    public string? KeepBestBy { get; init; } = "valid_loss";
    /// <summary>min (lower is better) or max, for keep_best_by. Default min.</summary>
    public MetricMode BestMode { get; init; } = MetricMode.Min;

    public void Validate()
    {
        ConfigCheck.Positive("checkpoint.every", Every);
        ConfigCheck.Positive("checkpoint.keep_last", KeepLast);
        if (KeepBestBy is not null) ConfigCheck.MetricName("checkpoint.keep_best_by", KeepBestBy);
    }
}
