// Label-smoothed cross entropy over float32 (N, C) CPU logits in one pass per row: log-sum-exp, loss and argmax
// together, no (N, C) log-probabilities; the backward writes (softmax − target distribution) · grad / tokens directly.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class FusedCrossEntropy
{
    // Rows per parallel chunk: enough that a chunk outweighs the cost of handing it to another thread.
    private const long ElementsPerChunk = 1 << 16;

    public static bool Applies(Tensor logits, Tensor target) =>
        Fused.Accelerated && logits.dim() == 2 && target.dim() == 1 && logits.shape[0] == target.shape[0] && logits.shape[1] > 0 &&
        Fused.IsPlainFloat(logits) && target.device_type == DeviceType.CPU && target.dtype == ScalarType.Int64;

    public static Tensor Apply(Tensor logits, Tensor target, long ignoreIndex, double smoothing, out long tokens, out long correct)
    {
        using var scope = NewDisposeScope();
        var x = logits.is_contiguous() ? logits : logits.contiguous();
        var t = target.is_contiguous() ? target : target.contiguous();
        // Checked before the kernel runs: inside it (a parallel loop, perhaps under autograd) a throw is awkward.
        CheckTargets(t, logits.shape[1], ignoreIndex);
        var counts = new Counts();
        var loss = is_grad_enabled() && x.requires_grad
            ? Function.apply(x, t, ignoreIndex, smoothing, counts)
            : Forward(x, t, ignoreIndex, smoothing, counts, lse: null);
        (tokens, correct) = (counts.Tokens, counts.Correct);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>What the forward found besides the loss; filled in during Function.apply.</summary>
    private sealed class Counts
    {
        public long Tokens;
        public long Correct;
    }

    private static unsafe void CheckTargets(Tensor target, long classes, long ignoreIndex)
    {
        var n = target.numel();
        if (n == 0) return;
        var t = Fused.Data<long>(target);
        for (long i = 0; i < n; i++)
            if (t[i] != ignoreIndex && (ulong)t[i] >= (ulong)classes)
                throw new ArgumentException($"Target {t[i]} is out of bounds (classes: {classes}, ignore_index: {ignoreIndex}).", nameof(target));
    }

    /// <summary>The mean loss as a float32 scalar (NaN when every target is ignored, as PyTorch's 0/0); fills the counts
    /// and, when asked, each row's log-sum-exp for the backward.</summary>
    private static unsafe Tensor Forward(Tensor logits, Tensor target, long ignoreIndex, double smoothing, Counts counts, float[]? lse)
    {
        var rows = logits.shape[0];
        var classes = (int)logits.shape[1];
        var rowLoss = new double[rows];
        var hit = new bool[rows];
        if (rows > 0)
        {
            var x = Fused.Data<float>(logits);
            var t = Fused.Data<long>(target);
            Fused.ParallelFor(rows, Math.Max(1, ElementsPerChunk / classes), 1, (begin, end) =>
            {
                for (var i = begin; i < end; i++)
                {
                    var row = x + i * classes;
                    var (logSumExp, sum, argmax) = RowStatistics(row, classes);
                    if (lse is not null) lse[i] = logSumExp;
                    var label = t[i];
                    if (label == ignoreIndex) continue;
                    // (1 − ε)(lse − x_t) + ε/C Σ_j (lse − x_j); PyTorch skips the smoothing term at ε = 0, so -inf
                    // logits elsewhere in the row leave the loss finite there.
                    rowLoss[i] = smoothing == 0
                        ? (double)logSumExp - row[label]
                        : logSumExp - (1 - smoothing) * row[label] - smoothing / classes * sum;
                    hit[i] = argmax == label;
                }
            });
        }
        // Summed in row order on one thread, so the loss does not depend on the thread count.
        long tokens = 0, correct = 0;
        double total = 0;
        var labels = rows > 0 ? Fused.Data<long>(target) : null;
        for (long i = 0; i < rows; i++)
        {
            if (labels![i] == ignoreIndex) continue;
            tokens++;
            total += rowLoss[i];
            if (hit[i]) correct++;
        }
        counts.Tokens = tokens;
        counts.Correct = correct;
        return tensor(tokens == 0 ? float.NaN : (float)(total / tokens));
    }

    /// <summary>A row's log-sum-exp, Σx and argmax (the first maximum, or the first NaN, as torch.argmax).</summary>
    private static unsafe (float LogSumExp, double Sum, int Argmax) RowStatistics(float* x, int n)
    {
        var j = 0;
        var m = float.NegativeInfinity;
        if (n >= 16)
        {
            var vmax = Vector512.Load(x);
            for (j = 16; j + 16 <= n; j += 16) vmax = Vector512.MaxNative(vmax, Vector512.Load(x + j));
            m = MaxAcross(vmax);
        }
        for (; j < n; j++) m = MathF.Max(m, x[j]);

        var vsum = Vector512<float>.Zero;
        var vexp = Vector512<float>.Zero;
        var shift = Vector512.Create(m);
        for (j = 0; j + 16 <= n; j += 16)
        {
            var v = Vector512.Load(x + j);
            vexp += Exp(v - shift);
            vsum += v;
        }
        var sumExp = Vector512.Sum(vexp);
        var sum = Vector512.Sum(vsum);
        for (; j < n; j++)
        {
            sumExp += MathF.Exp(x[j] - m);
            sum += x[j];
        }
        // NaN or ±inf in the row (or a sum overflowing): the vector max and exp may have dropped a NaN, so redo the row
        // exactly. Rare, and then the loss is NaN or the row has masked (-inf) classes.
        if (!float.IsFinite(sum) || !float.IsFinite(m)) return ExactRowStatistics(x, n);
        var argmax = 0;
        for (j = 0; j + 16 <= n; j += 16)
        {
            var equal = Vector512.Equals(Vector512.Load(x + j), shift).ExtractMostSignificantBits();
            if (equal != 0) return (m + MathF.Log(sumExp), sum, j + (int)ulong.TrailingZeroCount(equal));
        }
        for (argmax = j; argmax < n && x[argmax] != m; argmax++) { }
        return (m + MathF.Log(sumExp), sum, argmax);
    }

    private static float MaxAcross(Vector512<float> v)
    {
        var half = Vector256.MaxNative(v.GetLower(), v.GetUpper());
        var quarter = Vector128.MaxNative(half.GetLower(), half.GetUpper());
        var m = quarter.GetElement(0);
        for (var k = 1; k < 4; k++) m = MathF.Max(m, quarter.GetElement(k));
        return m;
    }

    private static unsafe (float LogSumExp, double Sum, int Argmax) ExactRowStatistics(float* x, int n)
    {
        var m = float.NegativeInfinity;
        var argmax = 0;
        var firstNaN = -1;
        double sum = 0;
        for (var j = 0; j < n; j++)
        {
            sum += x[j];
            if (float.IsNaN(x[j])) { if (firstNaN < 0) firstNaN = j; }
            else if (x[j] > m || j == 0) (m, argmax) = (x[j], j);
        }
        if (firstNaN >= 0) return (float.NaN, sum, firstNaN);
        double sumExp = 0;
        for (var j = 0; j < n; j++) sumExp += MathF.Exp(x[j] - m);
        return ((float)(m + Math.Log(sumExp)), sum, argmax);
    }

    /// <summary>exp with Cephes' expf scheme (range reduction by ln 2 in two parts, a degree-6 polynomial, the exponent
    /// put in by bit arithmetic), ~2 ulp; arguments below −87.3 give 0. .NET's Vector512.Exp is accurate to 1 ulp but
    /// widens to double and costs about twice as much.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(-87.3f));
        x = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        var fx = Vector512.Floor(Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504088896341f), Vector512.Create(0.5f)));
        var r = Vector512.FusedMultiplyAdd(fx, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(fx, Vector512.Create(2.12194440e-4f), r);
        var y = Vector512.Create(1.9875691500e-4f);
        y = Vector512.FusedMultiplyAdd(y, r, Vector512.Create(1.3981999507e-3f));
        y = Vector512.FusedMultiplyAdd(y, r, Vector512.Create(8.3334519073e-3f));
        y = Vector512.FusedMultiplyAdd(y, r, Vector512.Create(4.1665795894e-2f));
        y = Vector512.FusedMultiplyAdd(y, r, Vector512.Create(1.6666665459e-1f));
        y = Vector512.FusedMultiplyAdd(y, r, Vector512.Create(5.0000001201e-1f));
        y = Vector512.FusedMultiplyAdd(y, r * r, r + Vector512<float>.One);
        var power = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(fx) + Vector512.Create(127), 23).AsSingle();
        return Vector512.AndNot(y * power, underflow.AsSingle());
    }

    /// <summary>Gradient rows: scale · softmax − scale·ε/C everywhere, − scale·(1 − ε) more at the target; zero for
    /// ignored rows.</summary>
    private static unsafe Tensor Backward(Tensor logits, Tensor target, float[] lse, long ignoreIndex, double smoothing, float scale)
    {
        var result = empty_like(logits);
        var rows = logits.shape[0];
        var classes = (int)logits.shape[1];
        if (rows == 0) return result;
        var x = Fused.Data<float>(logits);
        var t = Fused.Data<long>(target);
        var g = Fused.Data<float>(result);
        var offset = (float)(scale * smoothing / classes);
        var onTarget = (float)(scale * (1 - smoothing));
        Fused.ParallelFor(rows, Math.Max(1, ElementsPerChunk / classes), 1, (begin, end) =>
        {
            for (var i = begin; i < end; i++)
            {
                var row = x + i * classes;
                var output = new Span<float>(g + i * classes, classes);
                if (t[i] == ignoreIndex)
                {
                    output.Clear();
                    continue;
                }
                var l = lse[i];
                var j = 0;
                if (float.IsFinite(l))
                {
                    var vl = Vector512.Create(l);
                    var vs = Vector512.Create(scale);
                    var vo = Vector512.Create(offset);
                    for (; j + 16 <= classes; j += 16)
                        Vector512.Store(Vector512.FusedMultiplyAdd(vs, Exp(Vector512.Load(row + j) - vl), -vo), g + i * classes + j);
                }
                for (; j < classes; j++) output[j] = scale * MathF.Exp(row[j] - l) - offset;
                output[(int)t[i]] -= onTarget;
            }
        });
        return result;
    }

    private sealed class Function : autograd.SingleTensorFunction<Function>
    {
        public override string Name => "FusedCrossEntropy";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (logits, target, ignoreIndex, smoothing, counts) = ((Tensor)vars[0], (Tensor)vars[1], (long)vars[2], (double)vars[3], (Counts)vars[4]);
            var lse = new float[logits.shape[0]];
            var loss = Forward(logits, target, ignoreIndex, smoothing, counts, lse);
            ctx.save_for_backward([logits, target]);
            ctx.save_data("lse", lse);
            ctx.save_data("ignore_index", ignoreIndex);
            ctx.save_data("smoothing", smoothing);
            ctx.save_data("tokens", counts.Tokens);
            // See FusedDropout: the backward handles an undefined gradient, so TorchSharp's placeholder may be freed.
            ctx.set_materialize_grads(false);
            return loss;
        }

        // Runs inside libtorch's engine: an exception here would end the process, so it only does what cannot fail.
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            if (grad is null || grad.IsInvalid) return [null!, null!, null!, null!, null!];
            using var scope = NewDisposeScope();
            var saved = ctx.get_saved_variables();
            var (logits, target) = (saved[0], saved[1]);
            var tokens = (long)ctx.get_data("tokens");
            // create_graph: the gradient for grad = 1 times grad, so it stays differentiable in grad (not in the logits).
            var differentiable = grad.requires_grad;
            var g = differentiable ? 1f : grad.to(ScalarType.Float32).item<float>();
            var scale = tokens == 0 ? 0f : g / tokens;
            var result = Backward(logits, target, (float[])ctx.get_data("lse"), (long)ctx.get_data("ignore_index"),
                (double)ctx.get_data("smoothing"), scale);
            if (differentiable) result = result * grad;
            return [result.MoveToOuterDisposeScope(), null!, null!, null!, null!];
        }
    }
}
