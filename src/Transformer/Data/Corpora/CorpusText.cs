// Reading raw corpus text strictly (UTF-8, line numbers for errors) and writing prepared files the way
// the data pipeline reads them: UTF-8 without BOM, '\n' line ends, written atomically.
using System.Text;

namespace Transformer.Data.Corpora;

internal static class CorpusText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>UTF-8 without BOM, as every prepared file is written.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The lines of a UTF-8 text file with their 1-based numbers ('\r\n' and '\n' both end a
    /// line); invalid UTF-8 is a <see cref="CorpusFormatException"/> naming the line.</summary>
    public static List<(int Number, string Text)> ReadLines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = new List<(int, string)>();
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var number = 0;
        while (start < bytes.Length)
        {
            number++;
            var rest = bytes.AsSpan(start);
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            string text;
            try { text = StrictUtf8.GetString(line); }
            catch (DecoderFallbackException e)
            {
                throw new CorpusFormatException(path, number, "expected UTF-8 text, found an invalid byte sequence", e);
            }
            lines.Add((number, text));
            start += newline < 0 ? rest.Length : newline + 1;
        }
        return lines;
    }

    /// <summary>Writes <paramref name="lines"/>, each ended by '\n', to a temporary file renamed over
    /// <paramref name="path"/>, so a reader never sees half a file. Returns the number of lines.</summary>
    public static int WriteLines(string path, IEnumerable<string> lines)
    {
        var temporary = path + ".tmp";
        var count = 0;
        using (var writer = new StreamWriter(temporary, append: false, Utf8, bufferSize: 1 << 16))
        {
            foreach (var line in lines)
            {
                if (line.Contains('\n') || line.Contains('\r'))
                    throw new InvalidOperationException($"{path}: internal error — a line to write contains a line break");
                writer.Write(line);
                writer.Write('\n');
                count++;
            }
        }
        File.Move(temporary, path, overwrite: true);
        return count;
    }
}
