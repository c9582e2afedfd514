// Adds position information to embeddings: fixed sinusoids (Vaswani et al. §3.5,
// PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…)) or a learned vector per position.
// Rotary encoding lives in attention instead (RotaryEmbedding); None adds nothing.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class PositionalEncoding : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    // Settable and re-registered, as TorchSharp's own modules do, so that Module.to(device or dtype) can replace them.
    /// <summary>Sinusoidal table (maxPositions, D); a buffer that is not saved (it is a function of the config).</summary>
    public Tensor? pe { get; private set => field = RegisteredBuffer(field, value, nameof(pe)); }

    /// <summary>Learned positions (maxPositions, D).</summary>
    public Parameter? weight { get; private set => field = Registered(field, value, nameof(weight)); }

    public long MaxPositions { get; }

    // Replaces a parameter the way TorchSharp's own modules do in their setters: the old one is freed and the
    // new one registered under the same name (Module.to sets these properties).
    private Parameter? Registered(Parameter? old, Parameter? value, string name)
    {
        if (!ReferenceEquals(old, value)) old?.Dispose();
        ConditionallyRegisterParameter(name, value);
        return value;
    }

    // Replaces a non-persistent buffer: the old one is freed and the new one registered under the same name.
    private Tensor? RegisteredBuffer(Tensor? old, Tensor? value, string name)
    {
        if (!ReferenceEquals(old, value)) old?.Dispose();
        ConditionallyRegisterBuffer(name, value, persistent: false);
        return value;
    }

    public PositionalEncoding(PositionalEncodingKind kind, int dModel, int maxPositions) : base(nameof(PositionalEncoding))
    {
        MaxPositions = maxPositions;
        if (kind == PositionalEncodingKind.Sinusoidal)
        {
            pe = Sinusoids(maxPositions, dModel);
        }
        else if (kind == PositionalEncodingKind.Learned)
        {
            weight = new Parameter(empty(maxPositions, dModel));
            nn.init.normal_(weight, 0, 0.02);
        }
    }

    // TorchSharp 0.107's named_buffers leaves out non-persistent buffers, so Module.to does not move this one itself.
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        if (pe is { } table) pe = table.to(dtype ?? table.dtype, device ?? table.device).DetachFromDisposeScope();
    }

    /// <summary>x (B, T, D) whose first position is <paramref name="offset"/> → x + PE (or x itself for rotary/none).</summary>
    public Tensor forward(Tensor x, long offset = 0)
    {
        var positions = pe ?? weight;
        if (positions is null) return x.alias();
        var length = x.size(1);
        if (offset + length > MaxPositions)
            throw new ArgumentException($"Cannot encode position {offset + length - 1}: model.max_positions is only {MaxPositions}");
        using var slice = positions.narrow(0, offset, length);                  // (T, D)
        return x + slice;
    }

    private static Tensor Sinusoids(int maxPositions, int dModel)
    {
        using var scope = NewDisposeScope();
        var position = arange(0, maxPositions, ScalarType.Float64).unsqueeze(1);                    // (T, 1)
        var divTerm = (arange(0, dModel, 2, ScalarType.Float64) * (-Math.Log(10000.0) / dModel)).exp(); // (D/2)
        var angles = position * divTerm;                                                            // (T, D/2)
        var table = zeros(new long[] { maxPositions, dModel }, ScalarType.Float64);
        table[TensorIndex.Colon, TensorIndex.Slice(0, null, 2)] = angles.sin();
        table[TensorIndex.Colon, TensorIndex.Slice(1, null, 2)] = angles.cos().narrow(1, 0, dModel / 2);
        return scope.MoveToOuter(table.to(ScalarType.Float32));
    }
}
