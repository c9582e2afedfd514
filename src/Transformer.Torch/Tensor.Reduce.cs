// Reductions over dimensions, and selection: masked_fill, gather/scatter, topk, sort, sampling.
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static int DType(ScalarType? t) => t is { } v ? (int)v : -1;

        public unsafe Tensor sum(long[]? dim = null, bool keepdim = false, ScalarType? dtype = null)
        {
            dim ??= Array.Empty<long>();
            fixed (long* p = dim) return Result(tsh_sum(Handle, p, dim.Length, keepdim ? 1 : 0, DType(dtype), out var r), r);
        }

        public Tensor sum(long dim, bool keepdim = false, ScalarType? dtype = null) => sum(new[] { dim }, keepdim, dtype);

        public unsafe Tensor mean(long[]? dim = null, bool keepdim = false, ScalarType? dtype = null)
        {
            dim ??= Array.Empty<long>();
            fixed (long* p = dim) return Result(tsh_mean(Handle, p, dim.Length, keepdim ? 1 : 0, DType(dtype), out var r), r);
        }

        public Tensor mean(long dim, bool keepdim = false, ScalarType? dtype = null) => mean(new[] { dim }, keepdim, dtype);

        /// <summary>Variance with Bessel's correction by default (correction = 1), as torch.var.</summary>
        public unsafe Tensor var(long[]? dim = null, bool unbiased = true, bool keepdim = false)
        {
            dim ??= Array.Empty<long>();
            fixed (long* p = dim) return Result(tsh_var(Handle, p, dim.Length, unbiased ? 1 : 0, keepdim ? 1 : 0, out var r), r);
        }

        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var(new[] { dim }, unbiased, keepdim);

        public unsafe Tensor std(long[]? dim = null, bool unbiased = true, bool keepdim = false)
        {
            dim ??= Array.Empty<long>();
            fixed (long* p = dim) return Result(tsh_std(Handle, p, dim.Length, unbiased ? 1 : 0, keepdim ? 1 : 0, out var r), r);
        }

        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => std(new[] { dim }, unbiased, keepdim);

        public unsafe Tensor norm(double p = 2, long[]? dim = null, bool keepdim = false)
        {
            dim ??= Array.Empty<long>();
            fixed (long* d = dim) return Result(tsh_norm(Handle, p, d, dim.Length, keepdim ? 1 : 0, out var r), r);
        }

        public Tensor cumsum(long dim, ScalarType? dtype = null) => Result(tsh_cumsum(Handle, dim, DType(dtype), out var r), r);
        public Tensor max() => Result(tsh_max_all(Handle, out var r), r);
        public Tensor min() => Result(tsh_min_all(Handle, out var r), r);
        public Tensor all() => Result(tsh_all(Handle, out var r), r);
        public Tensor any() => Result(tsh_any(Handle, out var r), r);

        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
        {
            Check(tsh_max_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }

        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
        {
            Check(tsh_min_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }

        public Tensor argmax() => Result(tsh_argmax(Handle, None, 0, out var r), r);
        public Tensor argmax(long dim, bool keepdim = false) => Result(tsh_argmax(Handle, dim, keepdim ? 1 : 0, out var r), r);
        public Tensor argmin() => Result(tsh_argmin(Handle, None, 0, out var r), r);
        public Tensor argmin(long dim, bool keepdim = false) => Result(tsh_argmin(Handle, dim, keepdim ? 1 : 0, out var r), r);

        // ---- selection ----
        public Tensor masked_fill(Tensor mask, Scalar value) => Result(tsh_masked_fill(Handle, mask.Handle, value, out var r), r);
        public Tensor masked_fill_(Tensor mask, Scalar value) { Check(tsh_masked_fill_(Handle, mask.Handle, value)); return this; }
        public Tensor gather(long dim, Tensor index) => Result(tsh_gather(Handle, dim, index.Handle, out var r), r);
        public Tensor scatter(long dim, Tensor index, Tensor src) => Result(tsh_scatter(Handle, dim, index.Handle, src.Handle, out var r), r);
        public Tensor scatter_add(long dim, Tensor index, Tensor src) => Result(tsh_scatter_add(Handle, dim, index.Handle, src.Handle, out var r), r);
        public Tensor index_select(long dim, Tensor index) => Result(tsh_index_select(Handle, dim, index.Handle, out var r), r);

        public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
        {
            Check(tsh_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }

        public (Tensor values, Tensor indexes) sort(long dim = -1, bool descending = false, bool stable = false)
        {
            Check(tsh_sort(Handle, dim, descending ? 1 : 0, stable ? 1 : 0, out var v, out var i));
            return (new Tensor(v), new Tensor(i));
        }

        public Tensor argsort(long dim = -1, bool descending = false)
        {
            var (values, indexes) = sort(dim, descending);
            values.Dispose();
            return indexes;
        }

        /// <summary>Samples indices from each row of (unnormalized) probabilities.</summary>
        public Tensor multinomial(long num_samples, bool replacement = false) => Result(tsh_multinomial(Handle, num_samples, replacement ? 1 : 0, out var r), r);
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Tensor.Result(tsh_where(condition.Handle, x.Handle, y.Handle, out var r), r);
}
