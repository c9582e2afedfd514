// Parses the JSON header of a safetensors file strictly: duplicate keys, wrong JSON types, negative
// dimensions, unknown dtypes and sizes that do not match dtype × shape are all errors. Unknown keys
// inside a tensor entry are skipped, as the reference implementation does.
using System.Text.Json;
using System.Text.Unicode;

using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class SafetensorsHeaderParser
{
    public const string MetadataKey = "__metadata__";

    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (!Utf8.IsValid(json))
            throw new SafetensorsFormatException(source, "header is not valid UTF-8");
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Error(source, $"header is {Kind(reader.TokenType)}, not a JSON object");

            var entries = new List<SafetensorsTensorInfo>();
            IReadOnlyDictionary<string, string>? metadata = null;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!keys.Add(name))
                    throw Error(source, $"duplicate key '{name}' in the header");
                reader.Read();
                if (name == MetadataKey) metadata = ParseMetadata(ref reader, source);
                else entries.Add(ParseEntry(ref reader, name, source));
            }
            // The root object has ended; anything but whitespace after it is an error (Read throws).
            if (reader.Read())
                throw Error(source, "header has data after its JSON object");
            return SafetensorsHeader.Create(entries, metadata ?? new Dictionary<string, string>(), json.Length, dataLength, source);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(source, $"header is not valid JSON: {ErrorText.Json(e)}", e);
        }
        catch (InvalidOperationException e) // a string whose escapes decode to invalid UTF-16 (a lone surrogate)
        {
            throw new SafetensorsFormatException(source, $"header is not valid JSON: {e.Message}", e);
        }
    }

    private static IReadOnlyDictionary<string, string> ParseMetadata(ref Utf8JsonReader reader, string source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Error(source, $"{MetadataKey} is {Kind(reader.TokenType)}, not an object of strings");
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw Error(source, $"{MetadataKey} entry '{key}' is {Kind(reader.TokenType)}, not a string");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw Error(source, $"duplicate key '{key}' in {MetadataKey}");
        }
        return new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(metadata);
    }

    private static SafetensorsTensorInfo ParseEntry(ref Utf8JsonReader reader, string name, string source)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Error(source, $"tensor '{name}' is described by {Kind(reader.TokenType)}, not an object");

        string? dtypeName = null;
        long[]? shape = null, offsets = null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (!keys.Add(key))
                throw Error(source, $"duplicate key '{key}' in tensor '{name}'");
            reader.Read();
            switch (key)
            {
                case "dtype":
                    if (reader.TokenType != JsonTokenType.String)
                        throw Error(source, $"tensor '{name}' has a \"dtype\" that is {Kind(reader.TokenType)}, not a string");
                    dtypeName = reader.GetString()!;
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, source, name, "shape", "dimension");
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, source, name, "data_offsets", "offset");
                    if (offsets.Length != 2)
                        throw Error(source, $"tensor '{name}' has {offsets.Length} data_offsets, not 2 ([begin, end])");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (dtypeName is null) throw Error(source, $"tensor '{name}' has no \"dtype\"");
        if (shape is null) throw Error(source, $"tensor '{name}' has no \"shape\"");
        if (offsets is null) throw Error(source, $"tensor '{name}' has no \"data_offsets\"");

        if (!SafetensorsDtype.TryParse(dtypeName, out var dtype))
            throw Error(source, SafetensorsDtype.IsUnsupported(dtypeName)
                ? $"tensor '{name}' has dtype '{dtypeName}', which this library does not support (supported: {SafetensorsDtype.Supported})"
                : $"tensor '{name}' has unknown dtype '{dtypeName}' (supported: {SafetensorsDtype.Supported})");

        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end)
            throw Error(source, $"tensor '{name}' has data_offsets [{begin}, {end}] whose begin is past its end");

        var elements = ElementCount(shape)
            ?? throw Error(source, $"tensor '{name}' has shape {SafetensorsHeader.FormatShape(shape)}, whose dimensions multiply past 64 bits");
        var size = TensorBytes.ElementSize(dtype);
        if (elements > long.MaxValue / size)
            throw Error(source, $"tensor '{name}' has shape {SafetensorsHeader.FormatShape(shape)}, whose byte size does not fit in 64 bits");
        if (end - begin != elements * size)
            throw Error(source, $"tensor '{name}' has data_offsets [{begin}, {end}] but {dtype.Name()} {SafetensorsHeader.FormatShape(shape)} needs {elements * size} bytes");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end, elements);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string source, string name, string key, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Error(source, $"tensor '{name}' has a \"{key}\" that is {Kind(reader.TokenType)}, not an array of integers");
        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw Error(source, $"tensor '{name}' has a \"{key}\" holding {Kind(reader.TokenType)}, not only integers");
            if (!reader.TryGetInt64(out var value))
                throw Error(source, $"tensor '{name}' has {what} {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)} in its \"{key}\", which is not a 64-bit integer");
            if (value < 0)
                throw Error(source, $"tensor '{name}' has negative {what} {value} in its \"{key}\"");
            values.Add(value);
        }
        return values.ToArray();
    }

    /// <summary>The product of the dimensions, or null when the product of the nonzero ones overflows
    /// (libtorch computes strides from them even when a zero makes the tensor empty).</summary>
    private static long? ElementCount(long[] shape)
    {
        long product = 1;
        var zero = false;
        foreach (var d in shape)
        {
            if (d == 0) { zero = true; continue; }
            if (product > long.MaxValue / d) return null;
            product *= d;
        }
        return zero ? 0 : product;
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static SafetensorsFormatException Error(string source, string problem) => new(source, problem);
}
