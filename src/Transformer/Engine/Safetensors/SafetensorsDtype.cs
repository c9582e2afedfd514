// The safetensors spelling of dtypes ("F32", "BF16", …) and its mapping to ScalarType.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class SafetensorsDtype
{
    private static readonly (string Name, ScalarType Type)[] Known =
    {
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    };

    // Valid in the format, but without a libtorch 1.13 dtype.
    private static readonly string[] Unsupported =
    {
        "U64", "U32", "U16", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
    };

    public static string Supported => string.Join(", ", Known.Select(k => k.Name));

    public static bool TryParse(string name, out ScalarType type)
    {
        foreach (var (n, t) in Known)
        {
            if (n != name) continue;
            type = t;
            return true;
        }
        type = default;
        return false;
    }

    public static bool IsUnsupported(string name) => Array.IndexOf(Unsupported, name) >= 0;

    public static bool TryGetName(ScalarType type, out string name)
    {
        foreach (var (n, t) in Known)
        {
            if (t != type) continue;
            name = n;
            return true;
        }
        name = "";
        return false;
    }
}
