// Reads UTF-8 text files line by line, keeping each line's ending ("\n" or "\r\n"), as Hugging Face's
// trainers do: a text's words are then the same as in the whole file except across line breaks.
using System.Text;

namespace Transformer.Text;

internal static class TextLines
{
    public static IEnumerable<string> Read(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            var line = new StringBuilder();
            var buffer = new char[1 << 16];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != '\n') continue;
                    line.Append(buffer, start, i + 1 - start);
                    yield return line.ToString();
                    line.Clear();
                    start = i + 1;
                }
                line.Append(buffer, start, read - start);
            }
            if (line.Length > 0) yield return line.ToString();
        }
    }
}
