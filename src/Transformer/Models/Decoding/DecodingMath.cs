// Small pieces every stepper and search shares: the next-token distribution from logits, argument
// checks, and index tensors built from managed arrays.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

internal static class DecodingMath
{
    /// <summary>logits (B, T, V) → log-probabilities (B, V) of the last position, with the padding id at −∞
    /// (a decoder never generates padding) and the other ids renormalised.</summary>
    public static Tensor LastLogProbs(Tensor logits, long padIndex)
    {
        using var scope = NewDisposeScope();
        var last = logits.select(1, logits.size(1) - 1).to(ScalarType.Float32, copy: true);    // (B, V)
        last.index_put_(double.NegativeInfinity, TensorIndex.Colon, padIndex);
        return scope.MoveToOuter(nn.functional.log_softmax(last, -1));
    }

    public static void CheckEval(nn.Module model, string kind)
    {
        if (model.training)
            throw new InvalidOperationException($"The {kind} is in training mode (dropout is active): call model.eval() before decoding.");
    }

    public static Tensor Indices(IReadOnlyCollection<long> values, Device? device) =>
        tensor(values as long[] ?? values.ToArray(), device: device);

    /// <summary>(n, 1) int64 tokens to feed one step.</summary>
    public static Tensor Column(IReadOnlyCollection<long> values, Device? device)
    {
        var array = values as long[] ?? values.ToArray();
        return tensor(array, new long[] { array.Length, 1 }, device: device);
    }

    /// <summary>Replaces an owned tensor: disposes the old one and takes the new one out of any dispose scope.</summary>
    public static Tensor Own(Tensor? old, Tensor fresh)
    {
        if (!ReferenceEquals(old, fresh)) old?.Dispose();
        return fresh.DetachFromDisposeScope();
    }
}
