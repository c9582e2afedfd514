// libtorch's operator profiler: every ATen call of the recording thread, with its duration, written as a
// chrome://tracing file with the operator names PyTorch's profiler shows (aten::mm, aten::bernoulli_, …).
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static class profiler
    {
        /// <summary>Records until disposed, then writes the trace to <paramref name="path"/>.</summary>
        public static IDisposable record(string path)
        {
            NativeStatus.Check(tsh_profiler_start(path));
            return new Recording();
        }

        private sealed class Recording : IDisposable
        {
            private bool stopped;

            public void Dispose()
            {
                if (stopped) return;
                stopped = true;
                NativeStatus.Check(tsh_profiler_stop());
            }
        }
    }
}
