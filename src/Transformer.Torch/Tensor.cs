// torch.Tensor: a native at::Tensor behind a SafeHandle. Disposing it (directly or through a
// dispose scope) frees the native memory at once; the GC cannot see that memory, so do not rely on it.
using System.Runtime.CompilerServices;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public partial class Tensor : IDisposable
    {
        private TensorHandle? handle;

        /// <summary>The dispose scope that will dispose this tensor, if any.</summary>
        internal DisposeScope? OwningScope;

        internal Tensor(IntPtr raw, bool scoped = true)
        {
            handle = new TensorHandle(raw);
            handle.ReportMemory(tsh_nbytes_raw(raw));   // the raw pointer: no SafeHandle marshalling on the hot path
            if (scoped) DisposeScope.Register(this);
        }

        /// <summary>Takes over another tensor's native handle (used by Parameter).</summary>
        private protected Tensor(Tensor source)
        {
            handle = source.Handle;
            source.handle = null;
            source.OwningScope = null;
        }

        internal TensorHandle Handle
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => handle ?? ThrowDisposed();
        }

        private static TensorHandle ThrowDisposed() =>
            throw new ObjectDisposedException(nameof(Tensor), "The tensor has been disposed (directly or by its dispose scope).");

        public bool IsInvalid => handle is null;

        public void Dispose()
        {
            handle?.Dispose();
            handle = null;
            OwningScope = null;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Tensor Result(int status, IntPtr raw)
        {
            NativeStatus.Check(status);
            return new Tensor(raw);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static void Check(int status) => NativeStatus.Check(status);

        // ---- properties ----
        public long dim() => tsh_dim(Handle);
        public long ndim => tsh_dim(Handle);
        public long numel() => tsh_numel(Handle);
        public long nbytes => tsh_nbytes(Handle);
        public long element_size() => tsh_element_size((int)dtype);
        public ScalarType dtype => (ScalarType)tsh_dtype(Handle);
        public Device device => new((DeviceType)tsh_device_type(Handle), tsh_device_index(Handle));
        public bool is_leaf => tsh_is_leaf(Handle) != 0;
        public bool is_contiguous() => tsh_is_contiguous(Handle) != 0;
        public bool is_floating_point() => dtype is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;

        public unsafe long[] shape
        {
            get
            {
                var h = Handle;
                var result = new long[tsh_dim(h)];
                fixed (long* p = result) Check(tsh_sizes(h, p, result.Length));
                return result;
            }
        }

        public unsafe long[] stride()
        {
            var result = new long[ndim];
            fixed (long* p = result) Check(tsh_strides(Handle, p, result.Length));
            return result;
        }

        public long size(int dim)
        {
            var s = shape;
            var d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length)
                throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [{-s.Length}, {s.Length - 1}], but got {dim})");
            return s[d];
        }

        public bool requires_grad
        {
            get => tsh_requires_grad(Handle) != 0;
            set => Check(tsh_set_requires_grad(Handle, value ? 1 : 0));
        }

        public Tensor requires_grad_(bool value = true)
        {
            requires_grad = value;
            return this;
        }

        // ---- conversion ----
        public Tensor to(Device device, bool copy = false) => Result(tsh_to(Handle, (int)device.type, device.index, -1, copy ? 1 : 0, out var r), r);
        public Tensor to(ScalarType type, bool copy = false) => Result(tsh_to(Handle, -1, -1, (int)type, copy ? 1 : 0, out var r), r);
        public Tensor to(Device device, ScalarType type, bool copy = false) => Result(tsh_to(Handle, (int)device.type, device.index, (int)type, copy ? 1 : 0, out var r), r);
        public Tensor to(string device) => to(Device.Parse(device));
        public Tensor to(Tensor other) => to(other.device, other.dtype);
        public Tensor cpu() => to(new Device(DeviceType.CPU));
        public Tensor cuda(int index = 0) => to(new Device(DeviceType.CUDA, index));
        public Tensor @float() => to(ScalarType.Float32);
        public Tensor @double() => to(ScalarType.Float64);
        public Tensor @long() => to(ScalarType.Int64);
        public Tensor @int() => to(ScalarType.Int32);
        public Tensor @bool() => to(ScalarType.Bool);
        public Tensor half() => to(ScalarType.Float16);
        public Tensor bfloat16() => to(ScalarType.BFloat16);

        /// <summary>Copies the values to a new array (any device, any layout); T must match the dtype.</summary>
        public unsafe T[] data<T>() where T : unmanaged
        {
            ElementTypes.CheckMatches<T>(dtype);
            var result = new T[numel()];
            fixed (T* p = result) Check(tsh_to_buffer(Handle, p, (long)result.Length * sizeof(T)));
            return result;
        }

        /// <summary>The raw little-endian bytes of the values in row-major order.</summary>
        public unsafe byte[] bytes()
        {
            var result = new byte[nbytes];
            fixed (byte* p = result) Check(tsh_to_buffer(Handle, p, result.Length));
            return result;
        }

        /// <summary>Copies the raw bytes of the values into <paramref name="destination"/>, which must be exactly nbytes long.</summary>
        public unsafe void CopyBytesTo(Span<byte> destination)
        {
            fixed (byte* p = destination) Check(tsh_to_buffer(Handle, p, destination.Length));
        }

        /// <summary>The value of a one-element tensor.</summary>
        public T item<T>() where T : unmanaged
        {
            Check(tsh_item(Handle, out var s));
            object boxed = typeof(T) switch
            {
                var t when t == typeof(float) => (float)s.ToDouble(),
                var t when t == typeof(double) => s.ToDouble(),
                var t when t == typeof(long) => s.ToInt64(),
                var t when t == typeof(int) => checked((int)s.ToInt64()),
                var t when t == typeof(short) => checked((short)s.ToInt64()),
                var t when t == typeof(byte) => checked((byte)s.ToInt64()),
                var t when t == typeof(sbyte) => checked((sbyte)s.ToInt64()),
                var t when t == typeof(bool) => s.ToBoolean(),
                var t when t == typeof(Half) => (Half)s.ToDouble(),
                _ => throw new NotSupportedException($"item<{typeof(T).Name}>() is not supported; use float, double, long, int, short, byte, sbyte, bool or Half"),
            };
            return (T)boxed;
        }

        public Scalar item()
        {
            Check(tsh_item(Handle, out var s));
            return s;
        }

        public override string ToString() => handle is null ? "tensor(<disposed>)" : TensorFormatter.Format(this);
    }
}
