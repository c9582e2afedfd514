// Thread layout. Measured on the 2-core development machines: libtorch intra-op threads = 1 with
// OpenBLAS keeping its own threads is the fastest training setting (see README, "Threads"), so that
// is the default, applied when this assembly loads — before any other thread touches ATen.
// TRANSFORMER_NUM_THREADS overrides it, and torch.set_num_threads at run time.
using System.Runtime.CompilerServices;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public const string NumThreadsVariable = "TRANSFORMER_NUM_THREADS";
    public const int DefaultNumThreads = 1;

    public static void set_num_threads(int threads) => NativeStatus.Check(tsh_set_num_threads(threads));
    public static int get_num_threads() => tsh_get_num_threads();

    /// <summary>Sets OpenBLAS's own thread count; false when libtorch does not use OpenBLAS.</summary>
    public static bool set_blas_threads(int threads) => tsh_set_blas_threads(threads) != 0;

    /// <summary>OpenBLAS's thread count, or -1 when libtorch does not use OpenBLAS.</summary>
    public static int get_blas_threads() => tsh_get_blas_threads();
}

internal static class ThreadDefaults
{
    // A library initializer on purpose: at::set_num_threads only takes full effect before other threads use ATen.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        var text = Environment.GetEnvironmentVariable(torch.NumThreadsVariable);
        var threads = torch.DefaultNumThreads;
        if (!string.IsNullOrWhiteSpace(text) && (!int.TryParse(text, out threads) || threads < 1))
        {
            Console.Error.WriteLine($"warning: {torch.NumThreadsVariable}='{text}' is not a positive integer; using {torch.DefaultNumThreads} thread(s)");
            threads = torch.DefaultNumThreads;
        }
        torch.set_num_threads(threads);
    }
}
