// Scaled dot-product attention, the one pure function all attention goes through:
// softmax(q kᵀ / √d_h + mask) v, with dropout on the weights (Vaswani et al. eq. 1).
using Transformer.Engine;
using static TorchSharp.torch;

namespace Transformer.Models;

public static class Attention
{
    /// <summary>q (B, H, Tq, Dh), k and v (B, H, Tk, Dh); mask additive, broadcastable to (B, H, Tq, Tk), −∞ where
    /// attention is not allowed. Returns the output (B, H, Tq, Dh) and, when asked, the weights (B, H, Tq, Tk).</summary>
    public static (Tensor output, Tensor? weights) ScaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor? mask,
        double dropout, bool training, bool returnWeights = false)
    {
        using var scaled = q.mul(1.0 / Math.Sqrt(q.size(-1)));      // scale q first, as PyTorch does
        using var kT = k.transpose(-2, -1);                         // (B, H, Dh, Tk)
        using var raw = scaled.matmul(kT);                          // (B, H, Tq, Tk)
        using var scores = mask is null ? raw.alias() : raw.add(mask);
        var weights = nn.functional.softmax(scores, -1);
        var dropped = dropout > 0 && training ? Fused.dropout(weights, dropout, training) : weights;
        var output = dropped.matmul(v);                              // (B, H, Tq, Dh)
        if (!ReferenceEquals(dropped, weights)) dropped.Dispose();
        if (returnWeights) return (output, weights);
        weights.Dispose();
        return (output, null);
    }
}
