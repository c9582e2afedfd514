// The checks the section records' Validate() share; each throws a ConfigException naming the full dotted key.
using System.Text.RegularExpressions;

namespace Transformer.Configuration;

internal static partial class ConfigCheck
{
    public static void Positive(string key, long value)
    {
        if (value <= 0) throw new ConfigException(key, value, "a positive integer");
    }

    public static void Positive(string key, double value)
    {
        if (!(value > 0 && double.IsFinite(value))) throw new ConfigException(key, value, "a positive number");
    }

    public static void NonNegative(string key, long value)
    {
        if (value < 0) throw new ConfigException(key, value, "an integer ≥ 0");
    }

    public static void NonNegative(string key, double value)
    {
        if (!(value >= 0 && double.IsFinite(value))) throw new ConfigException(key, value, "a number ≥ 0");
    }

    public static void Fraction(string key, double value)
    {
        if (!(value >= 0 && value < 1)) throw new ConfigException(key, value, "a number in [0, 1)");
    }

    /// <summary>A metric as the trainer names it: lower-case letters, digits and '_' (valid_loss, bleu).</summary>
    public static void MetricName(string key, string value)
    {
        if (!MetricPattern().IsMatch(value)) throw new ConfigException(key, value, "a metric name such as valid_loss");
    }

    /// <summary>A path that, when given, is not empty.</summary>
    public static void Path(string key, string? value)
    {
        if (value is not null && value.Trim().Length == 0) throw new ConfigException(key, value, "a path or null");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex MetricPattern();
}
