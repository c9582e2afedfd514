// Autograd on tensors: backward, grad, detach; and torch.no_grad(). Grad mode is per thread,
// as in libtorch: a no_grad() scope affects only the thread that opened it.
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Accumulates gradients of this tensor into the leaves' .grad.</summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false)
        {
            var g = gradient?.Handle;
            Check(tsh_backward(Handle, g?.DangerousGetHandle() ?? IntPtr.Zero, retain_graph ? 1 : 0, create_graph ? 1 : 0));
            GC.KeepAlive(gradient);
        }

        /// <summary>The accumulated gradient, or null. Each read is a new handle to the same storage.</summary>
        public Tensor? grad
        {
            get
            {
                Check(tsh_grad(Handle, out var r));
                return r == IntPtr.Zero ? null : new Tensor(r);
            }
            set
            {
                var g = value?.Handle;
                Check(tsh_set_grad(Handle, g?.DangerousGetHandle() ?? IntPtr.Zero));
                GC.KeepAlive(value);
            }
        }

        /// <summary>Leaves this tensor in the enclosing dispose scope (or in none).</summary>
        public Tensor MoveToOuterDisposeScope() => OwningScope?.MoveToOuter<Tensor>(this) ?? this;

        /// <summary>Takes this tensor out of its dispose scope: the caller now disposes it.</summary>
        public Tensor DetachFromDisposeScope() => OwningScope?.Detach<Tensor>(this) ?? this;
    }

    public static bool is_grad_enabled() => tsh_is_grad_enabled() != 0;

    /// <summary>Disables gradient recording on this thread until disposed: <c>using var _ = torch.no_grad();</c></summary>
    public static GradModeScope no_grad() => new(false);
    public static GradModeScope enable_grad() => new(true);
    public static GradModeScope set_grad_enabled(bool enabled) => new(enabled);

    public sealed class GradModeScope : IDisposable
    {
        private readonly int previous;
        private bool disposed;

        internal GradModeScope(bool enabled)
        {
            previous = tsh_is_grad_enabled();
            tsh_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            tsh_set_grad_enabled(previous);
        }
    }

    // ---- random number generators ----

    /// <summary>Seeds the CPU generator and, when present, every CUDA generator.</summary>
    public static void manual_seed(long seed) => NativeStatus.Check(tsh_manual_seed(seed));

    /// <summary>The CPU generator's state as a uint8 tensor (torch.get_rng_state()).</summary>
    public static Tensor get_rng_state() => Tensor.Result(tsh_get_rng_state((int)DeviceType.CPU, -1, out var r), r);
    public static void set_rng_state(Tensor state) => NativeStatus.Check(tsh_set_rng_state((int)DeviceType.CPU, -1, state.Handle));

    public static class cuda
    {
        public static bool is_available() => tsh_cuda_is_available() != 0;
        public static long device_count() => tsh_cuda_device_count();
        public static Tensor get_rng_state(int device = 0) => Tensor.Result(tsh_get_rng_state((int)DeviceType.CUDA, device, out var r), r);
        public static void set_rng_state(Tensor state, int device = 0) => NativeStatus.Check(tsh_set_rng_state((int)DeviceType.CUDA, device, state.Handle));
    }
}
