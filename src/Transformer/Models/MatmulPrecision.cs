// The ambient precision of the model's matmuls, PyTorch's torch.autocast made explicit (TorchSharp has none): inside
// a bf16 scope every linear layer and attention's two bmm cast their operands to bfloat16 and their result back to
// the input's dtype, so what lies between them (softmax, layer norm, residuals, the loss) stays float32 and autograd
// carries the gradients through the casts to the float32 master weights. Thread-local, as autocast is.
using TorchSharp.Modules;
using Transformer.Configuration;
using static TorchSharp.torch;

namespace Transformer.Models;

public static class MatmulPrecision
{
    [ThreadStatic] private static bool bf16;

    /// <summary>The precision the matmuls run in on this thread now.</summary>
    public static Precision Current => bf16 ? Precision.Bf16 : Precision.Fp32;

    /// <summary>Runs the matmuls in <paramref name="precision"/> until the returned scope is disposed (scopes nest;
    /// disposing restores the outer setting).</summary>
    public static Scope Use(Precision precision)
    {
        var outer = bf16;
        bf16 = precision == Precision.Bf16;
        return new Scope(outer);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly bool outer;
        internal Scope(bool outer) => this.outer = outer;
        public void Dispose() => bf16 = outer;
    }

    /// <summary>x W ᵀ + b, as nn.functional.linear, in the current precision.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (!Lowered(x)) return nn.functional.linear(x, weight, bias);
        using var xl = x.to(ScalarType.BFloat16);
        using var wl = weight.to(ScalarType.BFloat16);
        using var bl = bias?.to(ScalarType.BFloat16);
        using var y = nn.functional.linear(xl, wl, bl);
        return y.to(x.dtype);
    }

    /// <summary>A linear layer's forward in the current precision.</summary>
    public static Tensor Linear(Linear layer, Tensor x) => Linear(x, layer.weight!, layer.bias);

    /// <summary>The batched product a b, as Tensor.bmm, in the current precision.</summary>
    public static Tensor Bmm(Tensor a, Tensor b)
    {
        if (!Lowered(a)) return a.bmm(b);
        using var al = a.to(ScalarType.BFloat16);
        using var bl = b.to(ScalarType.BFloat16);
        using var y = al.bmm(bl);
        return y.to(a.dtype);
    }

    /// <summary>libtorch's fused scaled_dot_product_attention in the current precision (autocast lowers it whole).</summary>
    public static Tensor ScaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor? mask, double dropout)
    {
        if (!Lowered(q)) return nn.functional.scaled_dot_product_attention(q, k, v, mask, dropout);
        using var ql = q.to(ScalarType.BFloat16);
        using var kl = k.to(ScalarType.BFloat16);
        using var vl = v.to(ScalarType.BFloat16);
        using var ml = mask?.to(ScalarType.BFloat16);
        using var y = nn.functional.scaled_dot_product_attention(ql, kl, vl, ml, dropout);
        return y.to(q.dtype);
    }

    // Only float32 (and float64) operands are lowered: a model already in bfloat16 or float16 runs as it is.
    private static bool Lowered(Tensor x) => bf16 && x.dtype is ScalarType.Float32 or ScalarType.Float64;
}
