// The header block of an email message or MIME part: unfolded fields by lowercase name (first wins),
// and the parsed Content-Type. Text is Latin-1 (one char per byte), so nothing is lost before the body's
// charset is known.
using System.Text.RegularExpressions;

namespace Transformer.Data.Corpora;

internal sealed partial class MailHeaders
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.Ordinal);

    private MailHeaders() { }

    /// <summary>The media type, lowercased ("text/plain"); empty when the header is absent.</summary>
    public string MediaType { get; private set; } = "";

    /// <summary>Content-Type parameters by lowercase name (charset, boundary, …).</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public string? this[string name] => _fields.GetValueOrDefault(name);

    /// <summary>Whether <paramref name="line"/> can start a header block: an mbox "From " line or a field.</summary>
    public static bool IsHeaderLine(string line) => line.StartsWith("From ", StringComparison.Ordinal) || Field().IsMatch(line);

    /// <summary>Splits Latin-1 text (line ends already '\n') at its first empty line into the parsed
    /// headers and the body. Text that does not start with a header is all body.</summary>
    public static (MailHeaders Headers, string Body) Split(string text)
    {
        var headers = new MailHeaders();
        var firstLine = text.IndexOf('\n') is var n and >= 0 ? text[..n] : text;
        if (!IsHeaderLine(firstLine)) return (headers, text.StartsWith('\n') ? text[1..] : text);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        var block = end < 0 ? text : text[..end];
        var body = end < 0 ? "" : text[(end + 2)..];
        string? name = null;
        var value = new System.Text.StringBuilder();
        foreach (var line in block.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (name is not null) value.Append(' ').Append(line.Trim());
                continue;
            }
            if (name is not null) headers._fields.TryAdd(name, value.ToString());
            name = null;
            var m = Field().Match(line);
            if (!m.Success) continue; // the mbox "From " line, or a malformed field: neither is content
            name = m.Groups[1].Value.ToLowerInvariant();
            value.Clear().Append(line[m.Length..].Trim());
        }
        if (name is not null) headers._fields.TryAdd(name, value.ToString());
        headers.ParseContentType();
        return (headers, body);
    }

    private void ParseContentType()
    {
        var value = this["content-type"];
        if (value is null) return;
        var semicolon = value.IndexOf(';');
        var type = (semicolon < 0 ? value : value[..semicolon]).Trim();
        var space = type.IndexOfAny([' ', '\t']);
        MediaType = (space < 0 ? type : type[..space]).ToLowerInvariant();
        foreach (Match m in Parameter().Matches(value))
            Parameters.TryAdd(m.Groups[1].Value.ToLowerInvariant(), m.Groups[3].Success ? m.Groups[3].Value : m.Groups[2].Value);
    }

    [GeneratedRegex(@"^([!-9;-~]+):")]
    private static partial Regex Field();

    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(""([^""]*)""|[^;\s""]+)")]
    private static partial Regex Parameter();
}
