// A configuration value that is wrong: names the key, the value and what was expected.
namespace Transformer;

public sealed class ConfigException : TransformerException
{
    public ConfigException(string key, object? value, string expected, string? location = null)
        : base($"{(location is null ? "" : location + ": ")}{key}: {Show(value)} — expected {expected}")
    {
        Key = key;
        Expected = expected;
    }

    public override ErrorKind Kind => ErrorKind.Config;

    public string Key { get; }
    public string Expected { get; }

    private static string Show(object? value) => value switch
    {
        null => "(missing)",
        string s => $"'{s}'",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
