// A number that keeps its kind (integer, floating or boolean) across the native boundary, so that
// `int_tensor + 2` stays integral and `int_tensor + 2.5` promotes, exactly as in PyTorch.
using System.Runtime.InteropServices;

namespace Transformer.Torch;

[StructLayout(LayoutKind.Sequential)]
public readonly struct Scalar
{
    private readonly int kind; // 0 integer, 1 floating, 2 boolean (the shim's tsh_scalar)
    private readonly long integer;
    private readonly double floating;

    private Scalar(int kind, long integer, double floating)
    {
        this.kind = kind;
        this.integer = integer;
        this.floating = floating;
    }

    public bool IsFloatingPoint => kind == 1;
    public bool IsIntegral => kind == 0;
    public bool IsBoolean => kind == 2;

    public double ToDouble() => kind == 1 ? floating : integer;
    public long ToInt64() => kind == 1 ? (long)floating : integer;
    public bool ToBoolean() => kind == 1 ? floating != 0 : integer != 0;

    public static implicit operator Scalar(int value) => new(0, value, value);
    public static implicit operator Scalar(long value) => new(0, value, value);
    public static implicit operator Scalar(float value) => new(1, 0, value);
    public static implicit operator Scalar(double value) => new(1, 0, value);
    public static implicit operator Scalar(bool value) => new(2, value ? 1 : 0, value ? 1 : 0);

    public override string ToString() => kind switch
    {
        0 => integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => integer != 0 ? "True" : "False",
        _ => floating.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
