// Streams the lines of a file with their numbers. Splits on '\n' (a trailing '\r' is dropped), decodes each
// line strictly as UTF-8 (a UTF-8 BOM at the start is ignored) and never holds more of an over-long line than
// needed to know that it is too long, so a malformed file cannot exhaust memory.
using System.Text;

namespace Transformer.Data.Sources;

public static class Utf8LineReader
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<SourceLine> Read(string path, int maxChars)
    {
        // A UTF-16 code unit takes at most 3 UTF-8 bytes, so more than 3·maxChars bytes is certainly too long.
        var maxBytes = 3L * maxChars;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        byte[] lineBytes = new byte[256];
        var lineLength = 0;
        long lineBytesSeen = 0, number = 0;
        var overflow = false;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                var end = newline < 0 ? read : newline;
                Append(buffer.AsSpan(start, end - start));
                if (newline < 0) break;
                yield return Finish(++number);
                start = newline + 1;
            }
        }
        if (lineBytesSeen > 0) yield return Finish(++number);

        void Append(ReadOnlySpan<byte> bytes)
        {
            lineBytesSeen += bytes.Length;
            if (overflow) return;
            if (lineBytesSeen > maxBytes) { overflow = true; return; }
            if (lineLength + bytes.Length > lineBytes.Length)
                Array.Resize(ref lineBytes, Math.Max(lineBytes.Length * 2, lineLength + bytes.Length));
            bytes.CopyTo(lineBytes.AsSpan(lineLength));
            lineLength += bytes.Length;
        }

        SourceLine Finish(long n)
        {
            var result = Decode(n, lineBytes.AsSpan(0, lineLength), overflow, lineBytesSeen, maxChars);
            lineLength = 0;
            lineBytesSeen = 0;
            overflow = false;
            return result;
        }
    }

    private static SourceLine Decode(long number, ReadOnlySpan<byte> bytes, bool overflow, long bytesSeen, int maxChars)
    {
        if (overflow) return new(number, null, BadLineReason.LineTooLong, $"a line of {bytesSeen:N0} bytes (more than {maxChars:N0} characters)");
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r') bytes = bytes[..^1];
        if (number == 1 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" at byte {e.Index + 1} of the line" : "";
            var shown = e.BytesUnknown is { Length: > 0 } b ? $" (0x{Convert.ToHexString(b)})" : "";
            return new(number, null, BadLineReason.InvalidUtf8, $"bytes that are not UTF-8{shown}{at}");
        }
        if (text.Length > maxChars) return new(number, null, BadLineReason.LineTooLong, $"a line of {text.Length:N0} characters");
        return new(number, text, null, null);
    }
}
