// Classification as JSON Lines: each line is an object whose text field is a string and whose label field is
// a string or an integer (taken as its decimal text).
using System.Text.Json;

namespace Transformer.Data.Sources;

public sealed class LabeledJsonlReader(SourceOptions options) : ExampleReader(options)
{
    protected override RawExample? Parse(string file, long number, string text, BadLineLog log)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            log.Report(file, number, BadLineReason.InvalidJson, $"invalid JSON ({FirstSentence(ErrorText.Json(e, position: false))})", "one JSON object per line");
            return null;
        }
        using (document)
        {
            try
            {
                return Example(document.RootElement, file, number, log);
            }
            catch (InvalidOperationException) // System.Text.Json decodes lazily: an escape that makes a lone surrogate ("\ud800")
            {
                log.Report(file, number, BadLineReason.InvalidJson, "a string or name with an unpaired surrogate escape", "one JSON object of Unicode text per line");
                return null;
            }
        }
    }

    private RawExample? Example(JsonElement root, string file, long number, BadLineLog log)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            log.Report(file, number, BadLineReason.InvalidJson, $"a JSON {Kind(root.ValueKind)}", "one JSON object per line");
            return null;
        }
        var body = Field(root, Options.TextField, "a string", e => e.ValueKind == JsonValueKind.String ? e.GetString() : null, file, number, log);
        if (body is null) return null;
        var label = Field(root, Options.LabelField, "a string or an integer", Label, file, number, log);
        if (label is null) return null;
        if (!NonEmpty(body, "text", file, number, log) || !NonEmpty(label, "label", file, number, log)) return null;
        return new RawExample(file, number, body, Label: label.Trim());
    }

    private static string? Field(JsonElement root, string name, string expected, Func<JsonElement, string?> read, string file, long number, BadLineLog log)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            log.Report(file, number, BadLineReason.MissingField, $"no field '{name}'", $"an object with a field '{name}'");
            return null;
        }
        if (read(value) is { } result) return result;
        log.Report(file, number, BadLineReason.InvalidJson, $"field '{name}' is a {Kind(value.ValueKind)}", expected);
        return null;
    }

    private static string? Label(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
