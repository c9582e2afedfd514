// Everything besides weights and optimizer state that a resumed run needs to continue exactly:
// where it is (step, epoch, data cursor), the random generators, and the best metric so far.
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Transformer.Training.Checkpoints;

public sealed record TrainerState
{
    /// <summary>Bumped when the layout changes; older versions are upgraded explicitly on load.</summary>
    public const int CurrentFormatVersion = 1;

    [JsonPropertyName("format_version")] public int FormatVersion { get; init; } = CurrentFormatVersion;
    /// <summary>Optimizer steps completed.</summary>
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("epoch")] public long Epoch { get; init; }
    /// <summary>The data iterator's resumable position, as the batcher serialises it.</summary>
    [JsonPropertyName("data_cursor")] public JsonNode? DataCursor { get; init; }
    /// <summary>libtorch's CPU generator state (base64 of torch.get_rng_state()).</summary>
    [JsonPropertyName("cpu_rng_state")] public string? CpuRngState { get; init; }
    /// <summary>CUDA generator states by device index, when training on CUDA.</summary>
    [JsonPropertyName("cuda_rng_states")] public IReadOnlyList<string>? CudaRngStates { get; init; }
    /// <summary>The metric that selects the best checkpoint, and its best value so far.</summary>
    [JsonPropertyName("best_metric")] public string? BestMetric { get; init; }
    [JsonPropertyName("best_value")] public double? BestValue { get; init; }
    [JsonPropertyName("best_step")] public long? BestStep { get; init; }
    /// <summary>Early stopping's watched metric: its best value so far (null in checkpoints written before it
    /// existed, when best_value held it) and the evaluations since it last strictly improved.</summary>
    [JsonPropertyName("early_stopping_best")] public double? EarlyStoppingBest { get; init; }
    [JsonPropertyName("evaluations_without_improvement")] public int EvaluationsWithoutImprovement { get; init; }
    /// <summary>Tokens and wall-clock seconds trained so far (for time limits and throughput).</summary>
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
    [JsonPropertyName("elapsed_seconds")] public double ElapsedSeconds { get; init; }
    /// <summary>The statistics gathered since the last log line (null in checkpoints written before they were kept).</summary>
    [JsonPropertyName("log_window")] public LogWindowState? LogWindow { get; init; }
    /// <summary>What model.init_from copied when the run started (null for a run from its random initialisation).</summary>
    [JsonPropertyName("init_from")] public InitReport? InitFrom { get; init; }
}
