// Which .NET element type stands for which ScalarType when values move between arrays and tensors,
// element sizes, and PyTorch's names of the dtypes.
namespace Transformer.Torch;

public static class ElementTypes
{
    public static ScalarType Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => ScalarType.Float32,
        var t when t == typeof(double) => ScalarType.Float64,
        var t when t == typeof(long) => ScalarType.Int64,
        var t when t == typeof(int) => ScalarType.Int32,
        var t when t == typeof(short) => ScalarType.Int16,
        var t when t == typeof(sbyte) => ScalarType.Int8,
        var t when t == typeof(byte) => ScalarType.Byte,
        var t when t == typeof(bool) => ScalarType.Bool,
        var t when t == typeof(Half) => ScalarType.Float16,
        _ => throw new NotSupportedException(
            $"{typeof(T).Name} has no tensor dtype; use float, double, long, int, short, sbyte, byte, bool or Half"),
    };

    internal static void CheckMatches<T>(ScalarType dtype) where T : unmanaged
    {
        // bfloat16 has no .NET element type: its raw 16-bit patterns read as ushort.
        if (dtype == ScalarType.BFloat16 && typeof(T) == typeof(ushort)) return;
        var expected = Of<T>();
        if (expected != dtype)
            throw new ArgumentException($"the tensor's dtype is {dtype}, not {expected} ({typeof(T).Name}); convert it with .to({dtype.Name()}) first or read it as the matching type");
    }

    public static int Size(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
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
}
