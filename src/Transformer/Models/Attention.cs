// Scaled dot-product attention, the one pure function all attention goes through:
// softmax(q kᵀ / √d_h + mask) v, with dropout on the weights (Vaswani et al. eq. 1).
// The explicit form runs two bmm with the fused dropout between them (TorchSharp 0.107's matmul does not
// catch libtorch errors, bmm does). libtorch's scaled_dot_product_attention is the alternative; at the
// benchmark sizes (64 positions) it was no faster: tiny trained 6–7% slower with it, small the same.
using static TorchSharp.torch;

namespace Transformer.Models;

public static class Attention
{
    /// <summary>Whether the output-only path uses libtorch's scaled_dot_product_attention instead of the explicit form
    /// (the default, measured faster here); the two agree within float rounding.</summary>
    public static bool UseFusedKernel { get; set; }

    /// <summary>q (B, H, Tq, Dh), k and v (B, H, Tk, Dh); mask additive, broadcastable to (B, H, Tq, Tk), −∞ where
    /// attention is not allowed. Returns the output (B, H, Tq, Dh) and, when asked, the weights (B, H, Tq, Tk).</summary>
    public static (Tensor output, Tensor? weights) ScaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor? mask,
        double dropout, bool training, bool returnWeights = false)
    {
        var p = training ? dropout : 0.0;
        if (!returnWeights && UseFusedKernel)
            return (MatmulPrecision.ScaledDotProduct(q, k, v, mask, p), null);

        using var scope = NewDisposeScope();
        var (b, h, tq, dh) = (q.size(0), q.size(1), q.size(2), q.size(3));
        var tk = k.size(2);
        var scaled = q.mul(1.0 / Math.Sqrt(dh)).reshape(b * h, tq, dh);              // scale q first, as PyTorch does
        var raw = MatmulPrecision.Bmm(scaled, k.reshape(b * h, tk, dh).transpose(1, 2)).view(b, h, tq, tk);   // (B, H, Tq, Tk)
        var scores = mask is null ? raw : raw.add(mask);
        var weights = nn.functional.softmax(scores, -1);
        var dropped = p > 0 ? Engine.Fused.dropout(weights, p, training) : weights;
        var output = MatmulPrecision.Bmm(dropped.reshape(b * h, tq, tk), v.reshape(b * h, tk, dh)).view(b, h, tq, dh);   // (B, H, Tq, Dh)
        return (scope.MoveToOuter(output), returnWeights ? scope.MoveToOuter(weights) : null);
    }
}
