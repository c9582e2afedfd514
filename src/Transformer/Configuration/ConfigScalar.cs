// Scalar values between YAML text and .NET: integers, numbers, booleans, strings, enums and durations.
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Transformer.Configuration;

internal static class ConfigScalar
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool IsScalarType(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(bool)
        || type == typeof(string) || type == typeof(TimeSpan) || type.IsEnum;

    /// <summary>A plain `~`, `null` or empty value (YAML's null); a quoted one is a string.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>The text of a non-null scalar as <paramref name="type"/>, or false when it is not one.</summary>
    public static bool TryParse(string text, Type type, out object? value)
    {
        value = null;
        if (type == typeof(string)) value = text;
        else if (type == typeof(int) && int.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var i)) value = i;
        else if (type == typeof(long) && long.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var l)) value = l;
        else if (type == typeof(double) && TryParseNumber(text, out var d)) value = d;
        else if (type == typeof(bool) && bool.TryParse(text, out var b)) value = b;
        else if (type == typeof(TimeSpan) && Duration.TryParse(text, out var t)) value = t;
        else if (type.IsEnum)
            value = ConfigNaming.EnumValues(type).FirstOrDefault(e => string.Equals(e.Name, text, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for "— expected …".</summary>
    public static string Describe(Type type, bool nullable)
    {
        if (type == typeof(bool)) return nullable ? "true, false or null" : "true or false";
        var description =
            type == typeof(int) || type == typeof(long) ? "an integer"
            : type == typeof(double) ? "a number"
            : type == typeof(string) ? "a string"
            : type == typeof(TimeSpan) ? Duration.Description
            : type.IsEnum ? "one of " + string.Join('|', ConfigNaming.EnumValues(type).Select(e => e.Name))
            : throw new ArgumentException($"{type} is not a config scalar type", nameof(type));
        return nullable ? description + " or null" : description;
    }

    /// <summary>The YAML text of a scalar value, and whether it must be quoted to read back as a string.</summary>
    public static (string Text, bool Quote) Format(object value) => value switch
    {
        string s => (s, s.Length == 0 || LooksTyped(s)),
        bool b => (b ? "true" : "false", false),
        double d => (FormatNumber(d), false),
        TimeSpan t => (Duration.Format(t), false),
        Enum e => (ConfigNaming.EnumValue(e), false),
        IFormattable f => (f.ToString(null, Invariant), false),
        _ => throw new ArgumentException($"{value.GetType()} is not a config scalar type", nameof(value)),
    };

    private static bool TryParseNumber(string text, out double value)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf": value = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF": value = double.NegativeInfinity; return true;
            case ".nan" or ".NaN" or ".NAN": value = double.NaN; return true;
        }
        return double.TryParse(text, NumberStyles.Float, Invariant, out value);
    }

    private static string FormatNumber(double value) =>
        double.IsNaN(value) ? ".nan"
        : double.IsPositiveInfinity(value) ? ".inf"
        : double.IsNegativeInfinity(value) ? "-.inf"
        : value.ToString("R", Invariant).Replace("E", "e", StringComparison.Ordinal);

    // A string that YAML (or this binder) would read as null, a boolean or a number when written plain.
    private static bool LooksTyped(string s) =>
        s is "~" or "null" or "Null" or "NULL" || bool.TryParse(s, out _) || TryParseNumber(s, out _);
}
