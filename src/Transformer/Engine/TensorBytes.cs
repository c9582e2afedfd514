// Raw little-endian bytes in and out of tensors (the safetensors layout), element sizes and
// PyTorch's dtype names: what the checkpoint code needs beyond TorchSharp's own API.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public static class TensorBytes
{
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no fixed element size"),
    };

    /// <summary>PyTorch's spelling: float32, int64, bfloat16…</summary>
    public static string Name(this ScalarType dtype) => dtype switch
    {
        ScalarType.Byte => "uint8",
        ScalarType.Int8 => "int8",
        ScalarType.Int16 => "int16",
        ScalarType.Int32 => "int32",
        ScalarType.Int64 => "int64",
        ScalarType.Float16 => "float16",
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Bool => "bool",
        ScalarType.BFloat16 => "bfloat16",
        _ => dtype.ToString(),
    };

    /// <summary>The tensor's size in bytes.</summary>
    public static long nbytes(this Tensor tensor) => tensor.numel() * ElementSize(tensor.dtype);

    /// <summary>Copies the elements, in row-major order, into <paramref name="destination"/> (exactly nbytes long),
    /// whatever the tensor's device and strides.</summary>
    public static void CopyBytesTo(this Tensor tensor, Span<byte> destination)
    {
        if (destination.Length != tensor.nbytes())
            throw new ArgumentException($"the destination holds {destination.Length} bytes, the tensor {tensor.nbytes()}");
        using var scope = NewDisposeScope();
        var dense = tensor.detach().cpu().contiguous();
        dense.bytes.CopyTo(destination);
    }

    /// <summary>A new tensor holding a copy of <paramref name="raw"/> (row-major, little-endian); its length must be the
    /// shape's element count times the element size.</summary>
    public static Tensor FromBytes(ReadOnlySpan<byte> raw, long[] shape, ScalarType dtype, Device? device = null)
    {
        // A bool byte other than 0 or 1 is undefined behaviour in libtorch's kernels.
        if (dtype == ScalarType.Bool && raw.IndexOfAnyExcept((byte)0, (byte)1) is var bad and >= 0)
            throw new ArgumentException($"bool data must be bytes 0 or 1; byte {bad} is {raw[bad]}");
        var result = empty(shape, dtype);
        if (raw.Length != result.nbytes())
        {
            result.Dispose();
            throw new ArgumentException($"{raw.Length} bytes cannot fill a {dtype.Name()} tensor of shape [{string.Join(", ", shape)}]");
        }
        raw.CopyTo(result.bytes);
        if (device is null || device.type == DeviceType.CPU) return result;
        using (result) return result.to(device);
    }
}
