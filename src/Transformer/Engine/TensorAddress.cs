// The address of a tensor's first element on whatever device it lives, for collectives that take raw buffers
// (MPI on CPU memory, NCCL on CUDA memory). TorchSharp has no public data_ptr; its native library's
// THSTensor_data is at::Tensor::data_ptr(), looked up in the copy TorchSharp loaded (TorchLoader's, patched or not).
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Transformer.Engine;

public static unsafe class TensorAddress
{
    private static readonly delegate* unmanaged<nint, nint> data = Lookup();

    /// <summary>The first element of <paramref name="t"/> (storage offset included); valid while the tensor lives.</summary>
    public static nint Of(Tensor t)
    {
        var address = data(t.Handle);
        if (address == 0 && t.numel() > 0) throw new EngineException($"no data pointer for a {t.dtype} tensor on {t.device}");
        return address;
    }

    private static delegate* unmanaged<nint, nint> Lookup()
    {
        TorchLoader.EnsureLoaded();
        var library = NativeLibrary.Load("LibTorchSharp", typeof(Tensor).Assembly, null);
        return (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(library, "THSTensor_data");
    }
}
