// The "13a" tokenizer of mteval-v13a.pl, as sacreBLEU 2.x applies it before BLEU: written as plain
// character scans that reproduce the four regular-expression passes exactly (same order, same
// left-to-right non-overlapping matches), so the tokens — and hence the scores — are sacreBLEU's.
using System.Text;

namespace Transformer.Training.Metrics;

public static class Tokenizer13a
{
    /// <summary>The tokenized line, tokens joined by single spaces (what sacreBLEU's tokenizer returns).</summary>
    public static string Tokenize(string line) => string.Join(' ', Split(line));

    /// <summary>The tokens of <paramref name="line"/>.</summary>
    public static string[] Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
                   .Replace("-\n", "", StringComparison.Ordinal)
                   .Replace('\n', ' ');
        if (line.Contains('&'))
        {
            // Sequential, like the Perl original: "&amp;lt;" becomes "&lt;", then "<".
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                       .Replace("&amp;", "&", StringComparison.Ordinal)
                       .Replace("&lt;", "<", StringComparison.Ordinal)
                       .Replace("&gt;", ">", StringComparison.Ordinal);
        }

        line = SpaceOutSymbols(" " + line + " ");
        // Period and comma unless preceded by a digit: s/([^0-9])([\.,])/$1 $2 /g
        line = ReplacePairs(line, c => !IsDigit(c), IsPeriodOrComma, (a, b, o) => o.Append(a).Append(' ').Append(b).Append(' '));
        // Period and comma unless followed by a digit: s/([\.,])([^0-9])/ $1 $2/g
        line = ReplacePairs(line, IsPeriodOrComma, c => !IsDigit(c), (a, b, o) => o.Append(' ').Append(a).Append(' ').Append(b));
        // Dash when preceded by a digit: s/([0-9])(-)/$1 $2 /g
        line = ReplacePairs(line, IsDigit, c => c == '-', (a, b, o) => o.Append(a).Append(' ').Append(b).Append(' '));
        return PythonText.Split(line);
    }

    /// <summary>mteval's first pass: s/([\{-\~\[-\` -\&\(-\+\:-\@\/])/ $1 /g.</summary>
    private static string SpaceOutSymbols(string line)
    {
        var output = new StringBuilder(line.Length * 2);
        foreach (char c in line)
        {
            if (IsSymbol(c)) output.Append(' ').Append(c).Append(' ');
            else output.Append(c);
        }
        return output.ToString();
    }

    // {|}~  [\]^_`  space!"#$%&  ()*+  :;<=>?@  /  — but not ' , - . nor digits and letters.
    private static bool IsSymbol(char c) =>
        c is >= '{' and <= '~' or >= '[' and <= '`' or >= ' ' and <= '&' or >= '(' and <= '+' or >= ':' and <= '@' or '/';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsPeriodOrComma(char c) => c is '.' or ',';

    /// <summary>
    /// A global substitution of a two-character pattern: scanning left to right, each position where
    /// <paramref name="first"/> and <paramref name="second"/> match is rewritten and both characters are
    /// consumed, exactly as a regex engine's non-overlapping matches are.
    /// </summary>
    private static string ReplacePairs(string line, Func<char, bool> first, Func<char, bool> second,
        Action<char, char, StringBuilder> rewrite)
    {
        var output = new StringBuilder(line.Length + 16);
        int i = 0;
        while (i < line.Length)
        {
            if (i + 1 < line.Length && first(line[i]) && second(line[i + 1]))
            {
                rewrite(line[i], line[i + 1], output);
                i += 2;
            }
            else
            {
                output.Append(line[i]);
                i++;
            }
        }
        return output.ToString();
    }
}
