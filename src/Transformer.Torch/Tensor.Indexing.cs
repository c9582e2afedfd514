// Indexing with integers, ranges, None/Ellipsis and integer or boolean tensors, read and write.
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        public Tensor this[params TensorIndex[] indices]
        {
            get => index(indices);
            set => index_put_(value, indices);
        }

        public unsafe Tensor index(params TensorIndex[] indices)
        {
            var n = indices.Length;
            var kinds = stackalloc int[n];
            long* a = stackalloc long[n], b = stackalloc long[n], c = stackalloc long[n];
            var tensors = new IntPtr[n];
            Pack(indices, kinds, a, b, c, tensors);
            fixed (IntPtr* t = tensors)
            {
                var status = tsh_index(Handle, kinds, a, b, c, t, n, out var r);
                GC.KeepAlive(indices);
                return Result(status, r);
            }
        }

        public unsafe Tensor index_put_(Tensor value, params TensorIndex[] indices)
        {
            var n = indices.Length;
            var kinds = stackalloc int[n];
            long* a = stackalloc long[n], b = stackalloc long[n], c = stackalloc long[n];
            var tensors = new IntPtr[n];
            Pack(indices, kinds, a, b, c, tensors);
            fixed (IntPtr* t = tensors) Check(tsh_index_put_(Handle, kinds, a, b, c, t, n, value.Handle));
            GC.KeepAlive(indices);
            return this;
        }

        public unsafe Tensor index_put_(Scalar value, params TensorIndex[] indices)
        {
            var n = indices.Length;
            var kinds = stackalloc int[n];
            long* a = stackalloc long[n], b = stackalloc long[n], c = stackalloc long[n];
            var tensors = new IntPtr[n];
            Pack(indices, kinds, a, b, c, tensors);
            fixed (IntPtr* t = tensors) Check(tsh_index_put_scalar_(Handle, kinds, a, b, c, t, n, value));
            GC.KeepAlive(indices);
            return this;
        }

        private static unsafe void Pack(TensorIndex[] indices, int* kinds, long* a, long* b, long* c, IntPtr[] tensors)
        {
            for (var i = 0; i < indices.Length; i++)
            {
                var ix = indices[i];
                kinds[i] = (int)ix.kind;
                a[i] = ix.start;
                b[i] = ix.stop;
                c[i] = ix.step;
                tensors[i] = ix.tensor is null ? IntPtr.Zero : ix.tensor.Handle.DangerousGetHandle();
            }
        }

        public Tensor masked_select(Tensor mask) => Result(tsh_masked_select(Handle, mask.Handle, out var r), r);
    }
}
