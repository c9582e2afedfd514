// The framework's fused CPU kernels behind one door. Each falls back to libtorch's own operators
// where its kernel does not apply (another device or dtype, no AVX-512, a tensor over 2 GiB).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public static class Fused
{
    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training; x itself otherwise.
    /// Contiguous float32 CPU tensors take one pass whose mask comes from a counter-based stream seeded by one draw from
    /// the default generator: manual_seed and set_rng_state fix it, but it is not the mask libtorch's dropout would draw.</summary>
    public static Tensor dropout(Tensor x, double p, bool training)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
        if (!training || p == 0) return x.alias();
        // p = 1 is libtorch's x · 0, which keeps NaN and ±inf as NaN; the kernel's 1/(1−p) would be infinite.
        if (p == 1 || !FusedDropout.Applies(x)) return nn.functional.dropout(x, p, training);
        return FusedDropout.Apply(x, p);
    }

    /// <summary>Mean cross entropy of logits (N, C) against targets (N), PyTorch's ignore_index and label smoothing,
    /// with what a training loop logs: <paramref name="tokens"/> (targets not ignored) and <paramref name="correct"/>
    /// (of those, how many the argmax predicts). Float32 CPU logits take one pass per row and keep no (N, C)
    /// log-probabilities; everything else runs libtorch's cross_entropy.</summary>
    public static Tensor cross_entropy(Tensor logits, Tensor target, out long tokens, out long correct, long ignore_index = -100,
        double label_smoothing = 0.0)
    {
        if (!(label_smoothing >= 0 && label_smoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label_smoothing must be between 0.0 and 1.0");
        if (FusedCrossEntropy.Applies(logits, target))
            return FusedCrossEntropy.Apply(logits, target, ignore_index, label_smoothing, out tokens, out correct);
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var counted = target.ne(ignore_index);
            tokens = counted.sum().item<long>();
            correct = logits.argmax(-1).eq(target).logical_and_(counted).sum().item<long>();
        }
        return nn.functional.cross_entropy(logits, target, ignore_index: ignore_index, label_smoothing: label_smoothing);
    }

    /// <summary>Whether the kernels run here: they are written for 512-bit vectors, and where the JIT cannot
    /// accelerate those, libtorch's own AVX2 kernels are the faster choice.</summary>
    internal static bool Accelerated => Vector512.IsHardwareAccelerated;

    /// <summary>A dense float32 CPU tensor whose bytes one Span can address (TorchSharp's <c>bytes</c> stops at 2 GiB).</summary>
    internal static bool IsPlainFloat(Tensor t) =>
        t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && !t.is_sparse && t.numel() <= int.MaxValue / sizeof(float);

    /// <summary>The first element of a contiguous CPU tensor. Valid while the tensor lives; callers keep it alive.</summary>
    internal static unsafe T* Data<T>(Tensor t) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>Runs body over [0, count) split into one contiguous range per intra-op thread (torch.get_num_threads,
    /// so set_num_threads governs these kernels as it does libtorch's), each at least <paramref name="grain"/> long and
    /// starting at a multiple of <paramref name="align"/>; small ranges run on the calling thread.</summary>
    internal static void ParallelFor(long count, long grain, long align, Action<long, long> body)
    {
        var threads = Math.Min(get_num_threads(), Environment.ProcessorCount);
        var chunks = (int)Math.Min(threads, count / Math.Max(grain, 1));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        var size = (count + chunks - 1) / chunks;
        size = (size + align - 1) / align * align;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var begin = Math.Min(c * size, count);
            var end = Math.Min(begin + size, count);
            if (begin < end) body(begin, end);
        });
    }
}
