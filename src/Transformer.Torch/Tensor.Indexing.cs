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
            var r = IntPtr.Zero;
            var status = WithIndices(indices, (kinds, a, b, c, t, n) => tsh_index(Handle, kinds, a, b, c, t, n, out r));
            return Result(status, r);
        }

        public unsafe Tensor index_put_(Tensor value, params TensorIndex[] indices)
        {
            Check(WithIndices(indices, (kinds, a, b, c, t, n) => tsh_index_put_(Handle, kinds, a, b, c, t, n, value.Handle)));
            return this;
        }

        public unsafe Tensor index_put_(Scalar value, params TensorIndex[] indices)
        {
            Check(WithIndices(indices, (kinds, a, b, c, t, n) => tsh_index_put_scalar_(Handle, kinds, a, b, c, t, n, value)));
            return this;
        }

        private unsafe delegate int IndexedCall(int* kinds, long* a, long* b, long* c, IntPtr* tensors, long n);

        /// <summary>Lays the indices out as the shim's parallel arrays (kind, start/stop/step, tensor) and makes the call.</summary>
        private static unsafe int WithIndices(TensorIndex[] indices, IndexedCall call)
        {
            var n = indices.Length;
            var kinds = stackalloc int[n];
            long* a = stackalloc long[n], b = stackalloc long[n], c = stackalloc long[n];
            var tensors = new IntPtr[n];
            for (var i = 0; i < n; i++)
            {
                var ix = indices[i];
                kinds[i] = (int)ix.kind;
                a[i] = ix.start;
                b[i] = ix.stop;
                c[i] = ix.step;
                tensors[i] = ix.tensor is null ? IntPtr.Zero : ix.tensor.Handle.DangerousGetHandle();
            }
            int status;
            fixed (IntPtr* t = tensors) status = call(kinds, a, b, c, t, n);
            GC.KeepAlive(indices);
            return status;
        }

        public Tensor masked_select(Tensor mask) => Result(tsh_masked_select(Handle, mask.Handle, out var r), r);
    }
}
