// The `torch` namespace of the binding: dtypes, devices and tensor creation, shaped like
// TorchSharp's (and so PyTorch's): `torch.zeros(2, 3)`, `torch.tensor(data, shape)`, `torch.float32`.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType @int = ScalarType.Int32;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType half = ScalarType.Float16;

    public static readonly Device CPU = new(DeviceType.CPU);
    public static Device CUDA => new(DeviceType.CUDA, 0);
    public static Device device(string spec) => Device.Parse(spec);
    public static Device device(DeviceType type, int index = -1) => new(type, index);

    /// <summary>Creates a dispose scope: tensors created until it is disposed belong to it.</summary>
    public static DisposeScope NewDisposeScope() => new();

    private static unsafe Tensor Create(delegate*<long*, long, int, int, int, int, out IntPtr, int> factory, ReadOnlySpan<long> size, ScalarType? dtype, Device? device, bool requiresGrad)
    {
        var d = device ?? CPU;
        fixed (long* p = size)
            return Tensor.Result(factory(p, size.Length, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index, requiresGrad ? 1 : 0, out var r), r);
    }

    private static unsafe class Factories
    {
        public static readonly delegate*<long*, long, int, int, int, int, out IntPtr, int> empty = &tsh_empty;
        public static readonly delegate*<long*, long, int, int, int, int, out IntPtr, int> zeros = &tsh_zeros;
        public static readonly delegate*<long*, long, int, int, int, int, out IntPtr, int> ones = &tsh_ones;
        public static readonly delegate*<long*, long, int, int, int, int, out IntPtr, int> rand = &tsh_rand;
        public static readonly delegate*<long*, long, int, int, int, int, out IntPtr, int> randn = &tsh_randn;
    }

    public static Tensor empty(params long[] size) => empty(size, null);
    public static unsafe Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Create(Factories.empty, size, dtype, device, requires_grad);
    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static unsafe Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Create(Factories.zeros, size, dtype, device, requires_grad);
    public static Tensor ones(params long[] size) => ones(size, null);
    public static unsafe Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Create(Factories.ones, size, dtype, device, requires_grad);
    public static Tensor rand(params long[] size) => rand(size, null);
    public static unsafe Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Create(Factories.rand, size, dtype, device, requires_grad);
    public static Tensor randn(params long[] size) => randn(size, null);
    public static unsafe Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Create(Factories.randn, size, dtype, device, requires_grad);

    public static unsafe Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? CPU;
        var type = dtype ?? (value.IsFloatingPoint ? ScalarType.Float32 : value.IsBoolean ? ScalarType.Bool : ScalarType.Int64);
        fixed (long* p = size)
            return Tensor.Result(tsh_full(p, size.Length, value, (int)type, (int)d.type, d.index, requires_grad ? 1 : 0, out var r), r);
    }

    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        fixed (long* p = size)
            return Tensor.Result(tsh_randint(low, high, p, size.Length, (int)(dtype ?? ScalarType.Int64), (int)d.type, d.index, out var r), r);
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    /// <summary>[start, end) in steps; integer bounds give int64, floating ones the default float32 (as in PyTorch).</summary>
    public static Tensor arange(Scalar start, Scalar end, Scalar step, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        var type = dtype ?? (start.IsFloatingPoint || end.IsFloatingPoint || step.IsFloatingPoint ? ScalarType.Float32 : ScalarType.Int64);
        return Tensor.Result(tsh_arange(start, end, step, (int)type, (int)d.type, d.index, out var r), r);
    }

    public static Tensor arange(Scalar start, Scalar end, ScalarType? dtype = null, Device? device = null) => arange(start, end, 1, dtype, device);
    public static Tensor arange(Scalar end, ScalarType? dtype = null, Device? device = null) => arange(0, end, 1, dtype, device);

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        return Tensor.Result(tsh_linspace(start, end, steps, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index, out var r), r);
    }

    public static Tensor zeros_like(Tensor t) => zeros(t.shape, t.dtype, t.device);
    public static Tensor ones_like(Tensor t) => ones(t.shape, t.dtype, t.device);
    public static Tensor empty_like(Tensor t) => empty(t.shape, t.dtype, t.device);
    public static Tensor full_like(Tensor t, Scalar value) => full(t.shape, value, t.dtype, t.device);
    public static Tensor rand_like(Tensor t) => rand(t.shape, t.dtype, t.device);
    public static Tensor randn_like(Tensor t) => randn(t.shape, t.dtype, t.device);

    // ---- from .NET data ----

    /// <summary>A tensor holding a copy of <paramref name="data"/>; the shape defaults to 1-D. The dtype follows T
    /// (float → float32, long → int64, …) unless <paramref name="dtype"/> converts it.</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged
    {
        var native = ElementTypes.Of<T>();
        var d = device ?? CPU;
        Tensor result;
        fixed (T* p = data)
        fixed (long* s = shape)
            result = Tensor.Result(tsh_from_buffer(p, (long)data.Length * sizeof(T), s, shape.Length, (int)native, (int)d.type, d.index, out var r), r);
        if (dtype is { } target && target != native)
        {
            using var original = result;
            result = original.to(target);
        }
        if (requires_grad) result.requires_grad = true;
        return result;
    }

    // Preferred over the span overload so `tensor(array, [2, 3])` (a collection-expression shape) is not ambiguous.
    [OverloadResolutionPriority(1)]
    public static Tensor tensor<T>(T[] data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => tensor<T>(data.AsSpan(), shape ?? new long[] { data.Length }, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => tensor(Flatten<T>(data), new long[] { data.GetLength(0), data.GetLength(1) }, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[,,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => tensor(Flatten<T>(data), new long[] { data.GetLength(0), data.GetLength(1), data.GetLength(2) }, dtype, device, requires_grad);

    private static ReadOnlySpan<T> Flatten<T>(Array array) where T : unmanaged =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>A 0-dimensional tensor.</summary>
    public static Tensor tensor(float value, Device? device = null, bool requires_grad = false) => tensor<float>(new[] { value }, Array.Empty<long>(), null, device, requires_grad);
    public static Tensor tensor(double value, Device? device = null, bool requires_grad = false) => tensor<double>(new[] { value }, Array.Empty<long>(), null, device, requires_grad);
    public static Tensor tensor(long value, Device? device = null) => tensor<long>(new[] { value }, Array.Empty<long>(), null, device);
    public static Tensor tensor(int value, Device? device = null) => tensor<int>(new[] { value }, Array.Empty<long>(), null, device);
    public static Tensor tensor(bool value, Device? device = null) => tensor<bool>(new[] { value }, Array.Empty<long>(), null, device);

    /// <summary>A tensor from raw little-endian bytes (the safetensors layout); length must be shape × element size.</summary>
    public static unsafe Tensor frombuffer(ReadOnlySpan<byte> raw, ReadOnlySpan<long> shape, ScalarType dtype, Device? device = null)
    {
        // A bool byte other than 0 or 1 is undefined behaviour in libtorch's kernels.
        if (dtype == ScalarType.Bool && raw.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
            throw new ArgumentException($"bool data must be bytes 0 or 1; byte {bad} is {raw[bad]}");
        var d = device ?? CPU;
        fixed (byte* p = raw)
        fixed (long* s = shape)
            return Tensor.Result(tsh_from_buffer(p, raw.Length, s, shape.Length, (int)dtype, (int)d.type, d.index, out var r), r);
    }
}
