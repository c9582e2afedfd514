// Python's float formatting ("{:.4f}", "{:.4e}", "{:.0f}") reproduced exactly: the digits come from the
// exact binary value of the double, rounded half to even (Python's rule; .NET's "F4" rounds ties away
// from zero, e.g. 0.03125 → "0.0313" where Python prints "0.0312"). The sign of -0.0 and of negatives
// that round to zero is kept ("-0.0000"), and non-finite values print as nan, inf, -inf.
using System.Globalization;
using System.Numerics;

namespace Transformer.Torch;

internal static class PythonFloatFormat
{
    /// <summary>Like Python's <c>"{:.{precision}f}".format(value)</c>.</summary>
    public static string Fixed(double value, int precision)
    {
        if (NonFinite(value) is { } special) return special;
        var (n, scale) = Exact(Math.Abs(value));
        BigInteger units = scale <= precision
            ? n * BigInteger.Pow(10, precision - scale)
            : RoundHalfEven(n, BigInteger.Pow(10, scale - precision));
        var digits = units.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        var text = precision == 0 ? digits : digits[..^precision] + "." + digits[^precision..];
        return double.IsNegative(value) ? "-" + text : text;
    }

    /// <summary>Like Python's <c>"{:.{precision}e}".format(value)</c>: d.dddde±XX, at least two exponent digits.</summary>
    public static string Scientific(double value, int precision)
    {
        if (NonFinite(value) is { } special) return special;
        string mantissa;
        int exponent;
        if (value == 0)
        {
            mantissa = new string('0', precision + 1);
            exponent = 0;
        }
        else
        {
            var (n, scale) = Exact(Math.Abs(value));
            int length = n.ToString(CultureInfo.InvariantCulture).Length;
            exponent = length - 1 - scale;
            int wanted = precision + 1;
            BigInteger m = length <= wanted
                ? n * BigInteger.Pow(10, wanted - length)
                : RoundHalfEven(n, BigInteger.Pow(10, length - wanted));
            if (m == BigInteger.Pow(10, wanted))
            {
                // 9.99995 → 10.0000: renormalise to 1.0000 and bump the exponent.
                m /= 10;
                exponent++;
            }
            mantissa = m.ToString(CultureInfo.InvariantCulture);
        }
        var text = (precision == 0 ? mantissa : mantissa[..1] + "." + mantissa[1..])
            + (exponent < 0 ? "e-" : "e+")
            + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return double.IsNegative(value) ? "-" + text : text;
    }

    private static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : null;

    /// <summary>n / divisor rounded to the nearest integer, ties to even.</summary>
    private static BigInteger RoundHalfEven(BigInteger n, BigInteger divisor)
    {
        var quotient = BigInteger.DivRem(n, divisor, out var remainder);
        int half = (remainder * 2).CompareTo(divisor);
        if (half > 0 || (half == 0 && !quotient.IsEven)) quotient++;
        return quotient;
    }

    /// <summary>The exact value of a finite non-negative double as n / 10^scale.</summary>
    private static (BigInteger n, int scale) Exact(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0) exponent = 1; // subnormal
        else mantissa |= 1L << 52;
        exponent -= 1075; // value = mantissa · 2^exponent
        if (mantissa == 0) return (BigInteger.Zero, 0);
        while (exponent < 0 && (mantissa & 1) == 0)
        {
            mantissa >>= 1;
            exponent++;
        }
        // mantissa · 2^-k = mantissa · 5^k / 10^k
        return exponent >= 0
            ? (new BigInteger(mantissa) << exponent, 0)
            : (mantissa * BigInteger.Pow(5, -exponent), -exponent);
    }
}
