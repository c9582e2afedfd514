// Why an input line (or file) could not be used; the snake_case name is what meta.json and reports show.
namespace Transformer.Data;

public enum BadLineReason
{
    /// <summary>A source file with no example in it (zero bytes, or blank lines only).</summary>
    EmptyFile,
    /// <summary>Bytes that are not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>More characters than SourceOptions.MaxLineChars.</summary>
    LineTooLong,
    /// <summary>A TSV line with fewer tab-separated columns than the configured column indices need.</summary>
    MissingColumn,
    /// <summary>A JSONL object without the configured text or label field (or with null there).</summary>
    MissingField,
    /// <summary>A text, source, target or label that is empty or whitespace only.</summary>
    EmptyField,
    /// <summary>A JSONL line that is not a JSON object, or a field of the wrong JSON type.</summary>
    InvalidJson,
    /// <summary>A classification label outside the label set.</summary>
    UnknownLabel,
}

public static class BadLineReasons
{
    public static string Name(this BadLineReason reason) => reason switch
    {
        BadLineReason.EmptyFile => "empty_file",
        BadLineReason.InvalidUtf8 => "invalid_utf8",
        BadLineReason.LineTooLong => "line_too_long",
        BadLineReason.MissingColumn => "missing_column",
        BadLineReason.MissingField => "missing_field",
        BadLineReason.EmptyField => "empty_field",
        BadLineReason.InvalidJson => "invalid_json",
        BadLineReason.UnknownLabel => "unknown_label",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
