// GPT-2's original files: vocab.json (token → id) and merges.txt (one "left right" pair per line, in
// rank order, optionally after a "#version" line). Errors name file:line for merges.txt and the file
// with its JSON path (or line:column for bad JSON) for vocab.json.
using System.Text.Json;

namespace Transformer.Text;

internal static class Gpt2Files
{
    public static BpeTokenizer Load(string vocabPath, string mergesPath)
    {
        var vocab = ReadVocab(vocabPath);
        var (merges, lines) = ReadMerges(mergesPath);
        var model = new BpeModel(vocab, merges, new BpeOptions(),
            (i, problem) => new TokenizerFormatException($"{mergesPath}:{lines[i]}", problem));
        var added = vocab.TryGetValue("<|endoftext|>", out var eot)
            ? new[] { new AddedToken(eot, "<|endoftext|>", Special: true) }
            : [];
        return new BpeTokenizer(BpeTokenizer.ByteLevelPipeline(added, addPrefixSpace: false), model);
    }

    /// <summary>Writes vocab.json (token → id, in id order) and merges.txt (with the "#version: 0.2" header).</summary>
    public static void Write(BpeTokenizer tokenizer, string vocabPath, string mergesPath)
    {
        using (var stream = File.Create(vocabPath))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (token, id) in tokenizer.Vocab.OrderBy(p => p.Value)) json.WriteNumber(token, id);
            json.WriteEndObject();
        }
        File.WriteAllLines(mergesPath, tokenizer.Merges.Select(m => $"{m.Left} {m.Right}").Prepend("#version: 0.2"));
    }

    private static Dictionary<string, int> ReadVocab(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            using var document = JsonDocument.Parse(text);
            return TokenizerJsonReader.ReadVocab(new TokenizerJsonNode(document.RootElement, path, "$"));
        }
        catch (JsonException e)
        {
            throw TokenizerFormatException.InvalidJson(path, e);
        }
    }

    /// <summary>The merges and, for each, its 1-based line number.</summary>
    private static (List<(string, string)> Merges, List<int> Lines) ReadMerges(string path)
    {
        var merges = new List<(string, string)>();
        var lines = new List<int>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (number == 1 && line.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (line.Length == 0) continue;
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new TokenizerFormatException($"{path}:{number}", "expected two tokens separated by a space");
            merges.Add((line[..space], line[(space + 1)..]));
            lines.Add(number);
        }
        return (merges, lines);
    }
}
