// A JSON value with the file and JSON path it came from, so every complaint names both:
// "tokenizer.json: $.model.merges[16]: unknown token 'xq'".
using System.Globalization;
using System.Text.Json;

namespace Transformer.Text;

internal readonly struct TokenizerJsonNode
{
    public TokenizerJsonNode(JsonElement element, string file, string path)
    {
        Element = element;
        File = file;
        Path = path;
    }

    public JsonElement Element { get; }
    public string File { get; }
    public string Path { get; }
    public JsonValueKind Kind => Element.ValueKind;
    public bool IsNull => Element.ValueKind == JsonValueKind.Null;

    public TokenizerFormatException Error(string problem) => TokenizerFormatException.At(File, Path, problem);

    /// <summary>A required member; missing → error.</summary>
    public TokenizerJsonNode Get(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (!TryGetProperty(name, out var value)) throw Error($"missing \"{name}\"");
        return new TokenizerJsonNode(value, File, Child(name));
    }

    /// <summary>An optional member: null when missing or JSON null.</summary>
    public TokenizerJsonNode? Optional(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (!TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return new TokenizerJsonNode(value, File, Child(name));
    }

    public string? OptionalString(string name) => Optional(name)?.AsString();
    public bool OptionalBool(string name, bool fallback) => Optional(name)?.AsBool() ?? fallback;

    public string AsString()
    {
        RequireKind(JsonValueKind.String, "a string");
        return Decoded(Element);
    }

    public bool AsBool()
    {
        if (Element.ValueKind is JsonValueKind.True or JsonValueKind.False) return Element.GetBoolean();
        throw Error($"expected true or false, found {Describe()}");
    }

    public int AsInt()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var value)) return value;
        throw Error($"expected an integer, found {Describe()}");
    }

    public IEnumerable<TokenizerJsonNode> Items()
    {
        RequireKind(JsonValueKind.Array, "an array");
        var i = 0;
        foreach (var item in Element.EnumerateArray())
            yield return new TokenizerJsonNode(item, File, $"{Path}[{i++}]");
    }

    public int Count()
    {
        RequireKind(JsonValueKind.Array, "an array");
        return Element.GetArrayLength();
    }

    public IEnumerable<(string Name, TokenizerJsonNode Value)> Members()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var member in Element.EnumerateObject())
        {
            var name = DecodedName(member);
            yield return (name, new TokenizerJsonNode(member.Value, File, Child(name)));
        }
    }

    /// <summary>The "type" member of a tagged component, e.g. "ByteLevel".</summary>
    public string Type() => Get("type").AsString();

    public TokenizerFormatException Unsupported(string what) =>
        TokenizerFormatException.At(File, $"{Path}.type", $"{what} '{Type()}' is not supported");

    public void RequireKind(JsonValueKind kind, string expected)
    {
        if (Element.ValueKind != kind) throw Error($"expected {expected}, found {Describe()}");
    }

    private string Describe() => Element.ValueKind switch
    {
        JsonValueKind.String => $"the string {Element.GetRawText()}",
        JsonValueKind.Number => $"the number {Element.GetRawText()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => Element.GetRawText(),
    };

    // System.Text.Json decodes strings and names when asked, and throws InvalidOperationException when an escape
    // makes a lone surrogate ("\ud800"): that is the file's fault, so it is reported as such, with the path.
    private string Decoded(JsonElement element)
    {
        try { return element.GetString()!; }
        catch (InvalidOperationException) { throw Error($"expected Unicode text, found the string {element.GetRawText()} (an unpaired surrogate)"); }
    }

    private string DecodedName(JsonProperty member)
    {
        try { return member.Name; }
        catch (InvalidOperationException) { throw Error("expected Unicode member names, found one with an unpaired surrogate escape"); }
    }

    private bool TryGetProperty(string name, out JsonElement value)
    {
        try { return Element.TryGetProperty(name, out value); }
        catch (InvalidOperationException) { throw Error("expected Unicode member names, found one with an unpaired surrogate escape"); }
    }

    private string Child(string name)
    {
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return $"{Path}[{Quote(name)}]";
        return name.Length == 0 || char.IsAsciiDigit(name[0])
            ? $"{Path}[{Quote(name)}]"
            : $"{Path}.{name}";
    }

    /// <summary>A token as it reads in messages: in double quotes, with quotes, backslashes and controls escaped.</summary>
    public static string Quote(string token)
    {
        var text = new System.Text.StringBuilder(token.Length + 2).Append('"');
        foreach (var c in token)
        {
            if (c is '"' or '\\') text.Append('\\').Append(c);
            else if (c < 0x20) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        return text.Append('"').ToString();
    }
}
