// Rotary position embedding (Su et al. 2021, "RoFormer"): rotates each pair of query/key features by
// an angle proportional to the position, so q·k depends only on the offset between positions.
// Uses the rotate-half pairing (feature i with i + Dh/2), as GPT-NeoX and LLaMA do.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class RotaryEmbedding : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    // Buffers (maxPositions, Dh), not saved; settable and re-registered, as TorchSharp's own modules do, so that
    // Module.to(device or dtype) can replace them.
    public Tensor cos { get; private set => field = RegisteredBuffer(field, value, nameof(cos)); } = null!;
    public Tensor sin { get; private set => field = RegisteredBuffer(field, value, nameof(sin)); } = null!;

    // Replaces a non-persistent buffer: the old one is freed and the new one registered under the same name.
    private Tensor RegisteredBuffer(Tensor? old, Tensor value, string name)
    {
        if (!ReferenceEquals(old, value)) old?.Dispose();
        ConditionallyRegisterBuffer(name, value, persistent: false);
        return value;
    }
    public RotaryEmbedding(int headDim, int maxPositions, double theta = 10000.0) : base(nameof(RotaryEmbedding))
    {
        if (headDim % 2 != 0) throw new ArgumentException($"rotary embedding needs an even head size, got {headDim}");
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, ScalarType.Float64) / headDim;
        var inverseFrequency = 1.0 / exponents.mul(Math.Log(theta)).exp();          // (Dh/2)
        var positions = arange(0, maxPositions, ScalarType.Float64);
        var angles = positions.outer(inverseFrequency);                            // (T, Dh/2)
        var full = cat(new[] { angles, angles }, -1);                             // (T, Dh)
        cos = scope.MoveToOuter(full.cos().to(ScalarType.Float32));
        sin = scope.MoveToOuter(full.sin().to(ScalarType.Float32));
    }

    // TorchSharp 0.107's named_buffers leaves out non-persistent buffers, so Module.to does not move these itself.
    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        cos = cos.to(dtype ?? cos.dtype, device ?? cos.device).DetachFromDisposeScope();
        sin = sin.to(dtype ?? sin.dtype, device ?? sin.device).DetachFromDisposeScope();
    }

    public long MaxPositions => cos.size(0);

    /// <summary>x (B, H, T, Dh) at absolute positions offset … offset + T − 1.</summary>
    public Tensor Apply(Tensor x, long offset)
    {
        var length = x.size(2);
        if (offset + length > MaxPositions)
            throw new ArgumentException($"position {offset + length - 1} is beyond the rotary table ({MaxPositions} positions)");
        using var c = cos.narrow(0, offset, length).to(x.dtype);                    // (T, Dh)
        using var s = sin.narrow(0, offset, length).to(x.dtype);
        var half = x.size(-1) / 2;
        using var x1 = x.narrow(-1, 0, half);
        using var x2 = x.narrow(-1, half, half);
        using var negX2 = x2.neg();
        using var rotated = cat(new[] { negX2, x1 }, -1);                          // rotate_half(x)
        using var a = x * c;
        using var b = rotated * s;
        return a + b;
    }
}
