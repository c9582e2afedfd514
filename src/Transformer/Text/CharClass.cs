// Character classes the pre-tokenizers need, by code point (surrogate pairs are one character):
// letters \p{L}, numbers \p{N}, Unicode whitespace, and word characters \w (letters, marks, decimal and
// letter numbers, connector punctuation). ASCII is answered from a table.
using System.Globalization;

namespace Transformer.Text;

internal enum CharKind : byte { Other, Letter, Number, Space }

internal static class CharClass
{
    private static readonly CharKind[] Ascii = BuildAscii();

    /// <summary>The kind of the character at <paramref name="i"/>; <paramref name="width"/> is 2 for a surrogate pair.</summary>
    public static CharKind KindAt(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        width = 1;
        if (c < 128) return Ascii[c];
        if (!char.IsSurrogate(c)) return char.IsWhiteSpace(c) ? CharKind.Space : Kind(char.GetUnicodeCategory(c));
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return Kind(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, s[i + 1])));
        }
        return CharKind.Other;   // a lone surrogate
    }

    /// <summary>Whether the character at <paramref name="i"/> is a word character (\w).</summary>
    public static bool IsWordAt(ReadOnlySpan<char> s, int i, out int width)
    {
        var c = s[i];
        width = 1;
        if (c < 128) return char.IsAsciiLetterOrDigit(c) || c == '_';
        if (!char.IsSurrogate(c)) return IsWord(char.GetUnicodeCategory(c));
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return IsWord(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, s[i + 1])));
        }
        return false;
    }

    /// <summary>Width (1 or 2 chars) of the code point starting at <paramref name="i"/>.</summary>
    public static int WidthAt(ReadOnlySpan<char> s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;

    /// <summary>Whether the last code point of <paramref name="s"/> is a word character.</summary>
    public static bool EndsWithWord(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        var start = s.Length >= 2 && char.IsLowSurrogate(s[^1]) && char.IsHighSurrogate(s[^2]) ? s.Length - 2 : s.Length - 1;
        return IsWordAt(s, start, out _);
    }

    public static bool StartsWithWord(ReadOnlySpan<char> s) => !s.IsEmpty && IsWordAt(s, 0, out _);

    private static CharKind Kind(UnicodeCategory category) => category switch
    {
        <= UnicodeCategory.OtherLetter => CharKind.Letter,   // Lu, Ll, Lt, Lm, Lo
        >= UnicodeCategory.DecimalDigitNumber and <= UnicodeCategory.OtherNumber => CharKind.Number,
        _ => CharKind.Other,
    };

    private static bool IsWord(UnicodeCategory category) => category switch
    {
        <= UnicodeCategory.EnclosingMark => true,             // letters and marks
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber => true,
        UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    private static CharKind[] BuildAscii()
    {
        var table = new CharKind[128];
        for (var c = 0; c < 128; c++)
        {
            table[c] = char.IsWhiteSpace((char)c) ? CharKind.Space
                : char.IsAsciiLetter((char)c) ? CharKind.Letter
                : char.IsAsciiDigit((char)c) ? CharKind.Number
                : CharKind.Other;
        }
        return table;
    }
}
