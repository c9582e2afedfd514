// Finds added tokens in text the way Hugging Face's AddedVocabulary does: leftmost-longest,
// non-overlapping matches; a single_word token only where no word character touches it; lstrip/rstrip
// extend the match over the whitespace on that side.
using System.Buffers;

namespace Transformer.Text;

internal sealed class AddedTokenMatcher
{
    private readonly SearchValues<char> _firstChars;
    private readonly Dictionary<char, (string Text, AddedToken Token)[]> _byFirstChar;

    /// <param name="tokens">Each token with the text to look for (its content, normalized for normalized tokens).</param>
    public AddedTokenMatcher(IEnumerable<(string Text, AddedToken Token)> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Text.Length > 0)
            .GroupBy(t => t.Text[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Text.Length).ThenBy(t => t.Token.Id).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.Order().ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>Cuts <paramref name="text"/> into text segments (Token null) and added-token matches.</summary>
    public List<(int Start, int End, AddedToken? Token)> Split(ReadOnlySpan<char> text)
    {
        var segments = new List<(int, int, AddedToken?)>();
        var segmentStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var found = text[position..].IndexOfAny(_firstChars);
            if (found < 0) break;
            var at = position + found;
            if (Longest(text, at) is not (var length, var token))
            {
                position = at + 1;
                continue;
            }
            int start = at, stop = at + length;
            position = stop;
            if (token.SingleWord && (CharClass.EndsWithWord(text[..start]) || CharClass.StartsWithWord(text[stop..])))
                continue;
            if (token.LStrip)
                while (start > segmentStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (token.RStrip)
                while (stop < text.Length && char.IsWhiteSpace(text[stop])) stop++;
            if (segmentStart < start) segments.Add((segmentStart, start, null));
            segments.Add((start, stop, token));
            segmentStart = position = stop;
        }
        if (segmentStart < text.Length) segments.Add((segmentStart, text.Length, null));
        return segments;
    }

    private (int Length, AddedToken Token)? Longest(ReadOnlySpan<char> text, int at)
    {
        foreach (var (content, token) in _byFirstChar[text[at]])
            if (text[at..].StartsWith(content, StringComparison.Ordinal)) return (content.Length, token);
        return null;
    }
}
