// Turns a native status into a .NET exception carrying libtorch's own message.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Transformer.Torch.Native;

internal static class NativeStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(int status)
    {
        if (status != 0) Throw();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw()
    {
        var message = Marshal.PtrToStringUTF8(LibTorch.tsh_last_error()) ?? "unknown native error";
        throw new TorchException(message);
    }
}
