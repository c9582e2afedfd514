// What model.init_from copied into a new run: told once at the start and kept in the run's trainer.json (init_from),
// so that `transformer info` shows how a fine-tuned run began.
using System.Text.Json.Serialization;

namespace Transformer.Training.Checkpoints;

public sealed record InitReport
{
    /// <summary>model.init_from as configured.</summary>
    [JsonPropertyName("path")] public required string Path { get; init; }
    /// <summary>model.init_modules ("embed, encoder"), or null for every tensor.</summary>
    [JsonPropertyName("modules")] public string? Modules { get; init; }
    /// <summary>model.init_map ("source_embed ← embed"), or null.</summary>
    [JsonPropertyName("map")] public string? Map { get; init; }
    /// <summary>Whether the file's names were PyTorch's (renamed to ours).</summary>
    [JsonPropertyName("pytorch_names")] public bool PyTorchNames { get; init; }
    /// <summary>Tensors (parameters and persistent buffers) copied from the file, and their parameters' elements.</summary>
    [JsonPropertyName("copied_tensors")] public int CopiedTensors { get; init; }
    [JsonPropertyName("copied_parameters")] public long CopiedParameters { get; init; }
    /// <summary>Tensors left at the seed's initialisation, and their parameters' elements.</summary>
    [JsonPropertyName("initialised_tensors")] public int InitialisedTensors { get; init; }
    [JsonPropertyName("initialised_parameters")] public long InitialisedParameters { get; init; }

    /// <summary>"runs/lm: 26 tensors of embed, encoder copied (encoder ← decoder; 1,234 parameters); 2 tensors (258
    /// parameters) keep their initialisation".</summary>
    public string Describe()
    {
        var of = Modules is null ? "" : $" of {Modules}";
        var notes = string.Join("; ", new[] { Map, PyTorchNames ? "PyTorch names" : null, $"{CopiedParameters:N0} parameters" }.OfType<string>());
        return $"{Path}: {CopiedTensors} tensors{of} copied ({notes}); {InitialisedTensors} tensors ({InitialisedParameters:N0} parameters) keep their initialisation";
    }

    /// <summary>The line a run prints when it starts: "init_from " and <see cref="Describe"/>.</summary>
    public override string ToString() => $"init_from {Describe()}";
}
