// Messages built from what a file holds must stay one short line: text quoted from a file (or from a parser's
// message, which may quote the rest of the file) has its line breaks and control characters escaped and is cut.
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Transformer;

internal static partial class ErrorText
{
    /// <summary>Longest text kept from a file or a parser's message.</summary>
    public const int MaxChars = 200;

    /// <summary><paramref name="text"/> on one line: control characters written as \r, \n, \t or \uXXXX, and cut after
    /// <paramref name="max"/> characters with an ellipsis.</summary>
    public static string OneLine(string text, int max = MaxChars)
    {
        var cut = text.Length > max;
        var result = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in cut ? text.AsSpan(0, max) : text)
        {
            if (!char.IsControl(c) && c is not ('\u2028' or '\u2029' or '\u0085')) result.Append(c);
            else result.Append(c switch { '\r' => "\\r", '\n' => "\\n", '\t' => "\\t", _ => $"\\u{(int)c:X4}" });
        }
        return cut ? result.Append('…').ToString() : result.ToString();
    }

    /// <summary>System.Text.Json's reason with a quoted invalid literal (which runs to the end of the text) cut short;
    /// with <paramref name="position"/>, followed by "at line L ($.json.path)" where the exception knows them.</summary>
    public static string Json(JsonException e, bool position = true)
    {
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
            if (message.IndexOf(marker, StringComparison.Ordinal) is var at and > 0) message = message[..at];
        if (QuotedLiteral().Match(message) is { Success: true } m && m.Groups[1].Length > 20)
            message = $"'{m.Groups[1].Value[..20]}…'{m.Groups[2].Value}";
        message = OneLine(message.TrimEnd(' ', '.'));
        if (!position || e.LineNumber is null) return message;
        return $"{message} at line {e.LineNumber + 1}{(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" ({OneLine(e.Path, 80)})")}";
    }

    [GeneratedRegex(@"^'(.*)'( is an invalid .*)$", RegexOptions.Singleline)]
    private static partial Regex QuotedLiteral();
}
