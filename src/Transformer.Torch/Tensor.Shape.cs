// Views and reshapes, joining and splitting.
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public unsafe Tensor view(params long[] shape)
        {
            fixed (long* p = shape) return Result(tsh_view(Handle, p, shape.Length, out var r), r);
        }

        public unsafe Tensor reshape(params long[] shape)
        {
            fixed (long* p = shape) return Result(tsh_reshape(Handle, p, shape.Length, out var r), r);
        }

        public unsafe Tensor expand(params long[] shape)
        {
            fixed (long* p = shape) return Result(tsh_expand(Handle, p, shape.Length, out var r), r);
        }

        public Tensor expand_as(Tensor other) => expand(other.shape);
        public Tensor view_as(Tensor other) => view(other.shape);

        public unsafe Tensor repeat(params long[] repeats)
        {
            fixed (long* p = repeats) return Result(tsh_repeat(Handle, p, repeats.Length, out var r), r);
        }

        public unsafe Tensor permute(params long[] dims)
        {
            fixed (long* p = dims) return Result(tsh_permute(Handle, p, dims.Length, out var r), r);
        }

        public unsafe Tensor flip(params long[] dims)
        {
            fixed (long* p = dims) return Result(tsh_flip(Handle, p, dims.Length, out var r), r);
        }

        public Tensor transpose(long dim0, long dim1) => Result(tsh_transpose(Handle, dim0, dim1, out var r), r);
        public Tensor t() => transpose(0, 1);
        public Tensor mT => transpose(-2, -1);
        public Tensor unsqueeze(long dim) => Result(tsh_unsqueeze(Handle, dim, out var r), r);
        public Tensor squeeze() => Result(tsh_squeeze(Handle, None, out var r), r);
        public Tensor squeeze(long dim) => Result(tsh_squeeze(Handle, dim, out var r), r);
        public Tensor narrow(long dim, long start, long length) => Result(tsh_narrow(Handle, dim, start, length, out var r), r);
        public Tensor select(long dim, long index) => Result(tsh_select(Handle, dim, index, out var r), r);
        public Tensor flatten() => reshape(-1);
        public Tensor tril(long diagonal = 0) => Result(tsh_tril(Handle, diagonal, out var r), r);
        public Tensor triu(long diagonal = 0) => Result(tsh_triu(Handle, diagonal, out var r), r);
        public Tensor contiguous() => Result(tsh_contiguous(Handle, out var r), r);
        public Tensor clone() => Result(tsh_clone(Handle, out var r), r);

        /// <summary>A new tensor sharing storage, cut from the autograd graph.</summary>
        public Tensor detach() => Result(tsh_detach(Handle, out var r), r);
        public Tensor detach_() { Check(tsh_detach_(Handle)); return this; }

        /// <summary>Another handle to this very tensor (same storage, same autograd identity).</summary>
        public Tensor alias() => Result(tsh_alias(Handle, out var r), r);

        public unsafe Tensor[] chunk(long chunks, long dim = 0) => Parts(chunks, (p, cap) => { Check(tsh_chunk(Handle, chunks, dim, p, cap, out var n)); return n; });

        public unsafe Tensor[] split(long size, long dim = 0)
        {
            var length = this.size((int)dim);
            var count = size <= 0 ? 1 : Math.Max(1, (length + size - 1) / size);
            return Parts(count, (p, cap) => { Check(tsh_split(Handle, size, dim, p, cap, out var n)); return n; });
        }

        public unsafe Tensor[] split(long[] sizes, long dim = 0) => Parts(sizes.Length, (p, cap) =>
        {
            long n;
            fixed (long* s = sizes) Check(tsh_split_sizes(Handle, s, sizes.Length, dim, p, cap, out n));
            return n;
        });

        private unsafe delegate long Splitter(IntPtr* buffer, long capacity);

        private static unsafe Tensor[] Parts(long capacity, Splitter split)
        {
            var raw = new IntPtr[Math.Max(capacity, 1)];
            long n;
            fixed (IntPtr* p = raw) n = split(p, raw.Length);
            var parts = new Tensor[n];
            for (var i = 0; i < n; i++) parts[i] = new Tensor(raw[i]);
            return parts;
        }
    }

    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var raw = Handles(tensors);
        fixed (IntPtr* p = raw)
        {
            var status = tsh_cat(p, raw.Length, dim, out var r);
            GC.KeepAlive(tensors);
            return Tensor.Result(status, r);
        }
    }

    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var raw = Handles(tensors);
        fixed (IntPtr* p = raw)
        {
            var status = tsh_stack(p, raw.Length, dim, out var r);
            GC.KeepAlive(tensors);
            return Tensor.Result(status, r);
        }
    }

    /// <summary>Raw handles for a list call; the caller keeps <paramref name="tensors"/> alive until the call returns.</summary>
    internal static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var raw = new IntPtr[tensors.Count];
        for (var i = 0; i < raw.Length; i++) raw[i] = tensors[i].Handle.DangerousGetHandle();
        return raw;
    }
}
