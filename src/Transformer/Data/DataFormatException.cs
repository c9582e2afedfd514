// Input or prepared data that is not what it should be: names the place (file:line or a shard file), what
// was found and what was expected.
namespace Transformer.Data;

public sealed class DataFormatException : TransformerException
{
    public DataFormatException(string location, string problem, string expected, BadLineReason? reason = null)
        : base($"{location}: {problem} — expected {expected}{Hint(reason)}")
    {
        Location = location;
        Reason = reason;
    }

    public override ErrorKind Kind => ErrorKind.Data;

    /// <summary>file:line, a file, or a shard path.</summary>
    public string Location { get; }

    /// <summary>Set for bad input lines, which on_bad_line: skip would have skipped; null for prepared-data errors.</summary>
    public BadLineReason? Reason { get; }

    private static string Hint(BadLineReason? reason) =>
        reason is null ? "" : " (on_bad_line: skip skips such lines and counts them)";
}
