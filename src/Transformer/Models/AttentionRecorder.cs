// Captures the per-head attention weights of every layer during a real forward pass, for looking at them
// (`transformer attention`). Passed down through a model's forward; when none is passed the layers take the
// output-only path, so training and decoding pay nothing for it.
using static TorchSharp.torch;

namespace Transformer.Models;

public enum AttentionKind { Self, Cross }

/// <summary>One attention sub-layer's weights: <paramref name="Stack"/> is the module that holds the layer ("encoder"
/// or "decoder"), <paramref name="Layer"/> its index there; <paramref name="Weights"/> (B, H, Tq, Tk), float32 on the
/// CPU, owned by the recorder.</summary>
public sealed record RecordedAttention(string Stack, int Layer, AttentionKind Kind, Tensor Weights);

public sealed class AttentionRecorder : IDisposable
{
    private readonly List<RecordedAttention> records;
    private readonly string stack;
    private readonly int layer;

    public AttentionRecorder() : this([], "", 0) { }

    private AttentionRecorder(List<RecordedAttention> records, string stack, int layer) =>
        (this.records, this.stack, this.layer) = (records, stack, layer);

    /// <summary>Everything recorded so far, in the order the forward pass ran it.</summary>
    public IReadOnlyList<RecordedAttention> Records => records;

    /// <summary>A view that records into the same list for the stack <paramref name="name"/> (models call this).</summary>
    public AttentionRecorder In(string name) => new(records, name, 0);

    /// <summary>A view for layer <paramref name="index"/> of this view's stack (stacks call this).</summary>
    public AttentionRecorder AtLayer(int index) => new(records, stack, index);

    /// <summary>Keeps a CPU float32 copy of <paramref name="weights"/> (B, H, Tq, Tk); the caller keeps its own.</summary>
    public void Record(AttentionKind kind, Tensor weights)
    {
        if (weights.dim() != 4) throw new ArgumentException($"attention weights are (B, H, Tq, Tk), got shape [{string.Join(", ", weights.shape)}]");
        using var detached = weights.detach();
        using var cpu = detached.to(ScalarType.Float32, CPU);
        // Detached from the forward pass's dispose scopes: the copy lives until the recorder is disposed.
        records.Add(new RecordedAttention(stack, layer, kind, cpu.clone().DetachFromDisposeScope()));
    }

    /// <summary>Frees the recorded tensors (of every view: they share one list).</summary>
    public void Dispose()
    {
        foreach (var r in records) r.Weights.Dispose();
        records.Clear();
    }
}
