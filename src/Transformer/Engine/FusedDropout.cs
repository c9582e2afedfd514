// Dropout in one pass for contiguous float32 CPU tensors. The keep mask is a counter-based stream (SplitMix64
// of seed + word index, two 32-bit uniforms per word) seeded by one draw from the default generator, so it is
// recomputed in the backward instead of stored, and manual_seed / set_rng_state reproduce every mask.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class FusedDropout
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const long Grain = 1 << 16;

    public static bool Applies(Tensor x) => Fused.Accelerated && Fused.IsPlainFloat(x) && x.numel() > 0;

    public static Tensor Apply(Tensor x, double p)
    {
        var seed = DrawSeed();
        using var scope = NewDisposeScope();
        // A view gets the mask of its contiguous copy; contiguous() is recorded by autograd, so its gradient still
        // reaches the view.
        var input = x.is_contiguous() ? x : x.contiguous();
        var y = is_grad_enabled() && input.requires_grad
            ? Function.apply(input, seed, p)
            : Masked(input, seed, p);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>One 63-bit draw from the default generator: the state manual_seed and get_rng_state cover.</summary>
    private static ulong DrawSeed()
    {
        using var draw = randint(0, long.MaxValue, [1], ScalarType.Int64);
        return (ulong)draw.item<long>();
    }

    /// <summary>source · (kept ? 1/(1−p) : 0) into a new contiguous tensor; the forward for x, the backward for the gradient.</summary>
    private static unsafe Tensor Masked(Tensor source, ulong seed, double p)
    {
        var result = empty_like(source);
        var threshold = (uint)Math.Min(p * 4294967296.0, 4294967295.0);
        var scale = (float)(1.0 / (1.0 - p));
        var src = Fused.Data<float>(source);
        var dst = Fused.Data<float>(result);
        // Chunks start on multiples of 16 so that each begins with the low half of a random word.
        Fused.ParallelFor(source.numel(), Grain, 16, (begin, end) => Kernel(src, dst, begin, end, seed, threshold, scale));
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ Vector512.ShiftRightLogical(z, 31);
    }

    // Element i keeps when half i % 2 of Mix(seed + (i / 2)·golden), read as a 32-bit uniform, is ≥ p·2³².
    // y = x · (kept ? scale : 0) rather than a select, so NaN and ±inf propagate exactly as in x * mask.
    private static unsafe void Kernel(float* src, float* dst, long begin, long end, ulong seed, uint threshold, float scale)
    {
        var i = begin;
        if (Vector512.IsHardwareAccelerated && (begin & 1) == 0)
        {
            // Eight words make sixteen elements: viewed as 32-bit lanes, word k's low half is element 2k, its high 2k + 1.
            var z = Vector512.Create(seed + (ulong)(begin >> 1) * Golden)
                + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(Golden);
            var stride = Vector512.Create(unchecked(8 * Golden));
            var limit = Vector512.Create(threshold);
            var factor = Vector512.Create(scale);
            for (; i + 16 <= end; i += 16, z += stride)
            {
                var keep = Vector512.GreaterThanOrEqual(Mix(z).AsUInt32(), limit).AsSingle();
                Vector512.Store(Vector512.Load(src + i) * (keep & factor), dst + i);
            }
        }
        for (; i < end; i++)
        {
            var word = Mix(seed + (ulong)(i >> 1) * Golden);
            var half = (i & 1) == 0 ? (uint)word : (uint)(word >> 32);
            dst[i] = src[i] * (half >= threshold ? scale : 0f);
        }
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "FusedDropout";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, seed, p) = ((Tensor)vars[0], (ulong)vars[1], (double)vars[2]);
            ctx.save_data("seed", seed);
            ctx.save_data("p", p);
            // Apply's dispose scope frees TorchSharp's per-output placeholder, which it only reads to materialize
            // an undefined gradient as zeros; the backward handles an undefined gradient itself.
            ctx.set_materialize_grads(false);
            return Masked(x, seed, p);
        }

        // Runs inside libtorch's engine: an exception here would end the process, so it only does what cannot fail.
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            if (grad is null || grad.IsInvalid) return [null!, null!, null!];
            var seed = (ulong)ctx.get_data("seed");
            var p = (double)ctx.get_data("p");
            using var scope = NewDisposeScope();
            Tensor result;
            if (grad.requires_grad)
            {
                // create_graph: the mask as a tensor, so the gradient stays differentiable.
                using (no_grad()) result = Masked(ones(grad.shape, ScalarType.Float32), seed, p);
                result = grad * result;
            }
            else
            {
                result = Masked(grad.is_contiguous() && grad.dtype == ScalarType.Float32 ? grad : grad.to(ScalarType.Float32).contiguous(), seed, p);
            }
            return [result.MoveToOuterDisposeScope(), null!, null!];
        }
    }
}
