// The few pieces of Python's str semantics that sacreBLEU's results depend on: which characters
// str.split() treats as whitespace, and that a "character" is a Unicode code point, not a UTF-16 unit.
using System.Text;

namespace Transformer.Training.Metrics;

public static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c>: .NET's white space plus the separators U+001C–U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Python's <c>line.split()</c>: runs of white space separate words; none are empty.</summary>
    public static string[] Split(string line)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= line.Length; i++)
        {
            bool space = i == line.Length || IsSpace(line[i]);
            if (space && start >= 0)
            {
                words.Add(line[start..i]);
                start = -1;
            }
            else if (!space && start < 0)
            {
                start = i;
            }
        }
        return words.ToArray();
    }

    /// <summary>Python's <c>line.rstrip()</c>.</summary>
    public static string TrimEnd(string line)
    {
        int end = line.Length;
        while (end > 0 && IsSpace(line[end - 1])) end--;
        return line[..end];
    }

    /// <summary>Python's <c>''.join(line.split())</c>: the line with every white-space character removed.</summary>
    public static string RemoveSpaces(string line)
    {
        var kept = new StringBuilder(line.Length);
        foreach (char c in line)
        {
            if (!IsSpace(c)) kept.Append(c);
        }
        return kept.ToString();
    }

    /// <summary>
    /// The UTF-16 offset of every code point of <paramref name="text"/>, plus <c>text.Length</c> at the end,
    /// so code points i..j (exclusive) are <c>text[offsets[i]..offsets[j]]</c>. A lone surrogate counts as
    /// one code point, as Python counts it.
    /// </summary>
    public static int[] CodePointOffsets(string text)
    {
        var offsets = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        }
        offsets.Add(text.Length);
        return offsets.ToArray();
    }
}
