// Builds the additive masks attention takes: 0 where allowed, −∞ where not. Padding masks are
// (B, T) booleans, true at padding.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models;

public static class AttentionMask
{
    /// <summary>(1, 1, Tq, Tk): query i (at absolute position offset + i) may see keys 0 … offset + i.</summary>
    public static Tensor Causal(long queryLength, long keyLength, long offset, ScalarType dtype, Device device)
    {
        using var ones = torch.ones(new[] { queryLength, keyLength }, ScalarType.Bool, device);
        using var future = ones.triu(offset + 1);                    // true strictly after each query's position
        using var zerosMask = torch.zeros(new[] { queryLength, keyLength }, dtype, device);
        using var additive = zerosMask.masked_fill(future, double.NegativeInfinity);
        return additive.view(1, 1, queryLength, keyLength);
    }

    /// <summary>(B, 1, 1, Tk) from a (B, Tk) padding mask.</summary>
    public static Tensor KeyPadding(Tensor paddingMask, ScalarType dtype)
    {
        var shape = paddingMask.shape;
        using var zerosMask = torch.zeros(shape, dtype, paddingMask.device);
        using var additive = zerosMask.masked_fill(paddingMask, double.NegativeInfinity);
        return additive.view(shape[0], 1, 1, shape[1]);
    }

    /// <summary>The sum of the masks that are present, or null when none is.</summary>
    public static Tensor? Combine(Tensor? a, Tensor? b)
    {
        if (a is null) return b?.alias();
        if (b is null) return a.alias();
        return a + b;
    }

    /// <summary>Lets a query whose keys are all masked (a left-padding position) see its own position: a softmax
    /// over −∞ only is NaN, which later layers would spread. Every other query keeps its mask unchanged, so
    /// results equal PyTorch's wherever PyTorch's are finite. (…, Tq, Tk) → same shape.</summary>
    public static Tensor WithSelf(Tensor mask, long queryLength, long offset)
    {
        var keyLength = mask.size(-1);
        using var ones = torch.ones(new[] { queryLength, keyLength }, ScalarType.Bool, mask.device);
        using var upper = ones.triu(offset);
        using var self = upper.tril(offset);                         // true at key offset + i for query i
        using var masked = mask.isinf();
        using var maskedCount = masked.sum(-1, keepdim: true);
        using var blocked = maskedCount.eq(keyLength);               // (…, Tq, 1): rows with nothing to attend to
        using var unblock = self & blocked;
        return mask.masked_fill(unblock, 0.0);
    }

    /// <summary>(B, T) true at padding positions of a batch of token ids.</summary>
    public static Tensor Padding(Tensor tokens, long padIndex) => tokens.eq(padIndex);
}
