// The text of an email message without its headers: MIME text parts decoded (quoted-printable, base64,
// the declared charset); multipart/alternative reduced to its text/plain part (else, or when that is
// empty, its first other part with text); other multiparts joined from their text parts; attachments
// skipped; what cannot be decoded simply is kept raw. Every run of whitespace or control characters
// then becomes one space, so a message is one line of a TSV file.
using System.Text;
using System.Text.RegularExpressions;

namespace Transformer.Data.Corpora;

internal sealed partial class MailBody
{
    private const int MaxDepth = 8;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1;

    /// <summary>Messages whose top level is multipart.</summary>
    public int Multipart { get; private set; }

    /// <summary>Text parts decoded from quoted-printable.</summary>
    public int QuotedPrintable { get; private set; }

    /// <summary>Text parts decoded from base64.</summary>
    public int Base64 { get; private set; }

    /// <summary>Bodies or parts kept raw: a multipart without its boundary, base64 that does not decode,
    /// a message whose only content is not text.</summary>
    public int KeptRaw { get; private set; }

    /// <summary>The one-line text of <paramref name="message"/> (raw bytes of an RFC 822 message, mbox
    /// "From " line allowed); <paramref name="path"/> names it in errors.</summary>
    public string Extract(byte[] message, string path) => ExtractWithSubject(message, path).Body;

    /// <summary>The one-line body as <see cref="Extract"/> gives it, and the message's Subject header on one line
    /// with RFC 2047 encoded-words decoded ("" when it has none).</summary>
    public (string Subject, string Body) ExtractWithSubject(byte[] message, string path)
    {
        var text = Encoding.Latin1.GetString(message).Replace("\r\n", "\n");
        var firstLine = text.IndexOf('\n') is var n and >= 0 ? text[..n] : text;
        if (!MailHeaders.IsHeaderLine(firstLine))
            throw new CorpusFormatException(path, 1,
                $"expected an email message starting with headers (\"From …\" or \"Name: value\"), found '{Shorten(firstLine)}'");
        var (headers, body) = MailHeaders.Split(text);
        if (headers.MediaType.StartsWith("multipart/", StringComparison.Ordinal)) Multipart++;
        return (OneLine(DecodeHeader(headers["subject"] ?? "")), OneLine(Part(headers, body, 0, topLevel: true)));
    }

    /// <summary>A training example with the subject in front: "Subject: … body", or the body alone when the
    /// subject is empty.</summary>
    public static string WithSubject(string subject, string body) => subject.Length == 0 ? body : $"Subject: {subject} {body}";

    /// <summary>A header value (Latin-1 text, one char per byte) as text: RFC 2047 encoded-words
    /// (=?charset?B|Q?…?=) decoded with their charset, the whitespace between two adjacent ones dropped; raw
    /// 8-bit bytes decoded as a body without a declared charset; an encoded-word that does not decode kept as it is.</summary>
    public static string DecodeHeader(string value)
    {
        var result = new StringBuilder(value.Length);
        var last = 0;
        var previousEncoded = false;
        foreach (Match m in EncodedWord().Matches(value))
        {
            var between = value[last..m.Index];
            if (!(previousEncoded && string.IsNullOrWhiteSpace(between))) result.Append(DecodeCharset(Encoding.Latin1.GetBytes(between), null));
            var decoded = DecodeWord(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
            result.Append(decoded ?? m.Value);
            previousEncoded = decoded is not null;
            last = m.Index + m.Length;
        }
        result.Append(DecodeCharset(Encoding.Latin1.GetBytes(value[last..]), null));
        return result.ToString();
    }

    private static string? DecodeWord(string charset, string encoding, string text)
    {
        var star = charset.IndexOf('*'); // RFC 2231 language suffix: charset*lang
        if (star >= 0) charset = charset[..star];
        // Q is quoted-printable with '_' for a space (an encoded-word holds no line breaks)
        if (encoding is "Q" or "q") return DecodeCharset(DecodeQuotedPrintable(text.Replace('_', ' ')), charset);
        return TryDecodeBase64(text) is { } bytes ? DecodeCharset(bytes, charset) : null;
    }

    private static byte[]? TryDecodeBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    [GeneratedRegex(@"=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=")]
    private static partial Regex EncodedWord();

    /// <summary>The undecoded body: what follows the header block's first empty line (line ends
    /// normalised to '\n'), as Latin-1 text.</summary>
    public static string RawBody(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message).Replace("\r\n", "\n");
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? "" : text[(end + 2)..];
    }

    /// <summary>Every run of whitespace and control characters → one space; trimmed.</summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFEFF') { space = builder.Length > 0; continue; }
            if (space) { builder.Append(' '); space = false; }
            builder.Append(c);
        }
        return builder.ToString();
    }

    private string Part(MailHeaders headers, string body, int depth, bool topLevel)
    {
        var type = headers.MediaType;
        if (depth > MaxDepth) { KeptRaw++; return DecodeCharset(Encoding.Latin1.GetBytes(body), null); }
        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var parts = headers.Parameters.TryGetValue("boundary", out var boundary) ? SplitParts(body, boundary) : null;
            if (parts is null) { KeptRaw++; return DecodeCharset(Encoding.Latin1.GetBytes(body), null); }
            var parsed = parts.Select(MailHeaders.Split).ToList();
            if (type == "multipart/alternative")
            {
                // text/plain first, then the other versions in order: the first that holds any text
                var candidates = parsed.Where(p => p.Headers.MediaType is "text/plain" or "")
                    .Concat(parsed.Where(p => p.Headers.MediaType is not ("text/plain" or "") && IsContent(p.Headers)));
                foreach (var (partHeaders, partBody) in candidates)
                    if (Part(partHeaders, partBody, depth + 1, topLevel: false) is var text && OneLine(text).Length > 0) return text;
                return "";
            }
            return string.Join(' ', parsed.Where(p => IsContent(p.Headers)).Select(p => Part(p.Headers, p.Body, depth + 1, topLevel: false)));
        }
        if (type == "message/rfc822")
        {
            var (inner, innerBody) = MailHeaders.Split(body);
            return Part(inner, innerBody, depth + 1, topLevel: false);
        }
        if (type.Length == 0 || type.StartsWith("text/", StringComparison.Ordinal))
            return DecodeCharset(DecodeTransfer(headers["content-transfer-encoding"], body), headers.Parameters.GetValueOrDefault("charset"));
        if (!topLevel) return "";
        KeptRaw++; // a message that is only a non-text part: keep it as it is
        return DecodeCharset(Encoding.Latin1.GetBytes(body), null);
    }

    /// <summary>Text, nested multiparts and embedded messages count; attachments do not.</summary>
    private static bool IsContent(MailHeaders part)
    {
        var attachment = part["content-disposition"]?.TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase) == true;
        var type = part.MediaType;
        return !attachment && (type.Length == 0 || type.StartsWith("text/", StringComparison.Ordinal)
            || type.StartsWith("multipart/", StringComparison.Ordinal) || type == "message/rfc822");
    }

    /// <summary>The parts between "--boundary" lines up to "--boundary--"; null when none is found.</summary>
    private static List<string>? SplitParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var parts = new List<string>();
        StringBuilder? current = null;
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed == delimiter || trimmed == delimiter + "--")
            {
                if (current is not null) parts.Add(current.ToString());
                if (trimmed != delimiter) return parts;
                current = new StringBuilder();
                continue;
            }
            if (current is not null) current.Append(line).Append('\n');
        }
        if (current is not null) parts.Add(current.ToString()); // no closing delimiter: keep what there is
        return parts.Count == 0 ? null : parts;
    }

    private byte[] DecodeTransfer(string? encoding, string body)
    {
        switch (encoding?.Trim().ToLowerInvariant())
        {
            case "quoted-printable":
                QuotedPrintable++;
                return DecodeQuotedPrintable(body);
            case "base64":
                if (TryDecodeBase64(new string(body.Where(c => !char.IsWhiteSpace(c)).ToArray())) is { } decoded) { Base64++; return decoded; }
                KeptRaw++;
                return Encoding.Latin1.GetBytes(body);
            default:
                return Encoding.Latin1.GetBytes(body);
        }
    }

    private static byte[] DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '=' && i + 1 < body.Length && body[i + 1] == '\n') { i++; continue; } // soft line break
            if (c == '=' && i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(body.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }
            bytes.Add((byte)c); // Latin-1: every char is one byte
        }
        return [.. bytes];
    }

    /// <summary>Bytes → text with the declared charset when .NET knows it; otherwise UTF-8 when the bytes
    /// are valid UTF-8, else Windows-1252 (the usual truth behind "us-ascii" with 8-bit bytes).</summary>
    private static string DecodeCharset(byte[] bytes, string? charset)
    {
        var declared = Lookup(charset);
        // us-ascii and utf-8 go through the fallback below; UTF-16/32 cannot travel in a text body
        if (declared is not null && declared.CodePage is not (20127 or 65001 or 1200 or 1201 or 12000 or 12001))
            return (declared.CodePage == 28591 ? Windows1252 : declared).GetString(bytes); // ISO-8859-1 as browsers read it
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { return Windows1252.GetString(bytes); }
    }

    private static Encoding? Lookup(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset)) return null;
        var name = charset.Trim().Trim('"', '\'');
        try { return Encoding.GetEncoding(name); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name);
        }
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
