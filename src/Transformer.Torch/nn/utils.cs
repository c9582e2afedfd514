// torch.nn.utils: gradient clipping over a whole model in one native call.
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static class utils
        {
            /// <summary>Scales all gradients so their joint norm is at most max_norm; returns the norm before clipping.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0)
            {
                var ps = parameters.ToArray();
                var raw = Handles(ps);
                double total;
                fixed (IntPtr* p = raw) NativeStatus.Check(tsh_clip_grad_norm_(p, raw.Length, max_norm, norm_type, out total));
                GC.KeepAlive(ps);
                return total;
            }
        }
    }
}
