// PyTorch's torch/_tensor_str.py `_Formatter`: picks one style and one column width for all the
// (possibly summarised) elements of a tensor, then formats each element right-aligned to that width.
// Floats: int mode when every nonzero finite value is integral ("1.", "-0."), scientific mode when
// max/min |nonzero finite| > 1000 or max > 1e8 (or, outside int mode, min < 1e-4), fixed "{:.4f}"
// otherwise. Integers and bools print as Python's str() ("True"/"False").
using System.Globalization;

namespace Transformer.Torch;

internal sealed class ElementFormatter
{
    private readonly bool floating;
    private readonly bool intMode = true;
    private readonly bool sciMode;
    private readonly int precision;

    /// <summary>The column width; elements that print longer (nan in int mode) are not cut.</summary>
    public int Width { get; } = 1;

    public ElementFormatter(ReadOnlySpan<double> values, int precision)
    {
        floating = true;
        this.precision = precision;
        double min = double.PositiveInfinity, max = 0;
        bool any = false;
        foreach (var v in values)
        {
            if (!double.IsFinite(v) || v == 0) continue;
            any = true;
            var a = Math.Abs(v);
            min = Math.Min(min, a);
            max = Math.Max(max, a);
            if (v != Math.Ceiling(v)) intMode = false;
        }
        if (!any) return; // only zeros and non-finite values: int mode, width 1

        sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
        foreach (var v in values)
        {
            if (!double.IsFinite(v) || v == 0) continue;
            int length = sciMode ? PythonFloatFormat.Scientific(v, precision).Length
                : intMode ? PythonFloatFormat.Fixed(v, 0).Length + 1
                : PythonFloatFormat.Fixed(v, precision).Length;
            Width = Math.Max(Width, length);
        }
    }

    public ElementFormatter(ReadOnlySpan<long> values)
    {
        foreach (var v in values)
            Width = Math.Max(Width, v.ToString(CultureInfo.InvariantCulture).Length);
    }

    public ElementFormatter(ReadOnlySpan<bool> values)
    {
        foreach (var v in values)
            Width = Math.Max(Width, v ? 4 : 5);
    }

    public string Format(double value)
    {
        if (!floating) throw new InvalidOperationException("this formatter was built for integer or bool elements");
        string text;
        if (sciMode) text = PythonFloatFormat.Scientific(value, precision);
        else if (intMode) text = double.IsFinite(value) ? PythonFloatFormat.Fixed(value, 0) + "." : PythonFloatFormat.Fixed(value, 0);
        else text = PythonFloatFormat.Fixed(value, precision);
        return Pad(text);
    }

    public string Format(long value) => Pad(value.ToString(CultureInfo.InvariantCulture));

    public string Format(bool value) => Pad(value ? "True" : "False");

    private string Pad(string text) => text.Length >= Width ? text : text.PadLeft(Width);
}
