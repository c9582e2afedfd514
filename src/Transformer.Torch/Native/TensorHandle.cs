// Owns one native at::Tensor; freeing it drops libtorch's reference (the storage may live on in views).
using System.Runtime.InteropServices;

namespace Transformer.Torch.Native;

internal sealed class TensorHandle : SafeHandle
{
    // Native bytes reported to the GC for this handle, removed again on release.
    private long reportedBytes;

    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    // Tensors below this size are not worth a call into the GC's accounting.
    private const long PressureThreshold = 16 * 1024;

    internal void ReportMemory(long bytes)
    {
        if (bytes < PressureThreshold) return;
        reportedBytes = bytes;
        GC.AddMemoryPressure(bytes);
    }

    protected override bool ReleaseHandle()
    {
        LibTorch.tsh_free(handle);
        if (reportedBytes > 0) GC.RemoveMemoryPressure(reportedBytes);
        return true;
    }
}
