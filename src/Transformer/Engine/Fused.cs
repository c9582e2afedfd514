// The framework's fused CPU kernels behind one door. Each falls back to libtorch's own operators
// where its kernel does not apply (another device or dtype, a non-contiguous input).
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public static class Fused
{
    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training; x itself otherwise.</summary>
    public static Tensor dropout(Tensor x, double p, bool training)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
        return training && p > 0 ? nn.functional.dropout(x, p, training) : x.alias();
    }

    /// <summary>Mean cross entropy of logits (N, C) against targets (N), PyTorch's ignore_index and label smoothing,
    /// with what a training loop logs: <paramref name="tokens"/> (targets not ignored) and <paramref name="correct"/>
    /// (of those, how many the argmax predicts).</summary>
    public static Tensor cross_entropy(Tensor logits, Tensor target, out long tokens, out long correct, long ignore_index = -100,
        double label_smoothing = 0.0)
    {
        if (label_smoothing < 0 || label_smoothing > 1)
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0.0 and 1.0");
        using (no_grad())
        using (var counted = target.ne(ignore_index))
        using (var predicted = logits.argmax(-1))
        using (var hits = predicted.eq(target).logical_and_(counted))
        {
            tokens = counted.sum().item<long>();
            correct = hits.sum().item<long>();
        }
        return nn.functional.cross_entropy(logits, target, ignore_index: ignore_index, label_smoothing: label_smoothing);
    }
}
