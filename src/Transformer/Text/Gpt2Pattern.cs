// GPT-2's pre-tokenization regex, hand-compiled:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Alternatives are tried in order at each position, as a backtracking regex engine does; classes are
// taken per code point (a letter outside the BMP is a letter), whitespace is Unicode White_Space.
namespace Transformer.Text;

internal static class Gpt2Pattern
{
    /// <summary>The end of the piece that starts at <paramref name="start"/> (exclusive).</summary>
    public static int PieceEnd(ReadOnlySpan<char> s, int start)
    {
        var c = s[start];
        if (c == '\'' && start + 1 < s.Length)
        {
            var d = s[start + 1];
            if (d is 's' or 't' or 'm' or 'd') return start + 2;
            if (start + 2 < s.Length)
            {
                var e = s[start + 2];
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return start + 3;
            }
        }

        // " ?X+" for X in letters, numbers, others: an optional ASCII space, then a run of one kind.
        var runStart = start;
        if (c == ' ' && start + 1 < s.Length && CharClass.KindAt(s, start + 1, out _) != CharKind.Space) runStart++;
        var kind = CharClass.KindAt(s, runStart, out var width);
        if (kind != CharKind.Space)
        {
            var end = runStart + width;
            while (end < s.Length && CharClass.KindAt(s, end, out width) == kind) end += width;
            return end;
        }

        // Whitespace: "\s+(?!\S)" takes the run but leaves its last character to the next piece when a
        // non-space follows; a single whitespace character before a non-space is "\s+".
        var runEnd = start + 1;
        while (runEnd < s.Length && CharClass.KindAt(s, runEnd, out _) == CharKind.Space) runEnd++;
        if (runEnd == s.Length) return runEnd;
        return runEnd - 1 > start ? runEnd - 1 : runEnd;
    }
}
