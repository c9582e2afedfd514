// Hugging Face's "Split" pre-tokenizer: cuts at the matches of a string or a regex and keeps the matches
// as the behavior says (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous); invert swaps
// matches and the text between them. An empty pattern matches between every two code points, so
// Split("", Isolated) makes every code point its own piece (the char-level tokenizer's pre-tokenizer).
// Regexes run on .NET's engine, which reads UTF-16: a class such as \p{L} does not match a letter
// outside the BMP there (the string and empty patterns are code-point exact).
using System.Text.RegularExpressions;

namespace Transformer.Text;

internal sealed class SplitPreTokenizer : PreTokenizer
{
    private static readonly string[] Behaviors = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];

    private readonly Regex? _regex;

    public SplitPreTokenizer(string pattern, bool isRegex, string behavior, bool invert)
    {
        if (!Behaviors.Contains(behavior)) throw new ArgumentException($"unknown split behavior '{behavior}'", nameof(behavior));
        Pattern = pattern;
        IsRegex = isRegex;
        Behavior = behavior;
        Invert = invert;
        if (isRegex && pattern.Length > 0) _regex = new Regex(pattern, RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }
    public bool IsRegex { get; }
    public string Behavior { get; }
    public bool Invert { get; }

    public static SplitPreTokenizer Read(TokenizerJsonNode node)
    {
        var patternNode = node.Get("pattern");
        var regex = patternNode.Optional("Regex");
        var pattern = regex ?? patternNode.Get("String");
        var behaviorNode = node.Get("behavior");
        var behavior = behaviorNode.AsString();
        if (!Behaviors.Contains(behavior))
            throw behaviorNode.Error($"unknown behavior \"{behavior}\" (expected one of {string.Join(", ", Behaviors)})");
        try
        {
            return new SplitPreTokenizer(pattern.AsString(), regex is not null, behavior, node.OptionalBool("invert", false));
        }
        catch (ArgumentException e)
        {
            throw pattern.Error($"the regex cannot be compiled by .NET: {e.Message}");
        }
    }

    public override void PreTokenize(ReadOnlySpan<char> text, PieceSink sink)
    {
        if (text.IsEmpty) return;
        if (Pattern.Length == 0 && !Invert)
        {
            for (var i = 0; i < text.Length;)
            {
                var width = CharClass.WidthAt(text, i);
                sink.Add(text.Slice(i, width));
                i += width;
            }
            return;
        }
        var parts = Apply(Matches(text));
        foreach (var (start, end, removed) in parts)
            if (!removed && end > start) sink.Add(text[start..end]);
    }

    // (start, end, isMatch) covering the text, as Hugging Face's Pattern::find_matches.
    private List<(int Start, int End, bool Match)> Matches(ReadOnlySpan<char> text)
    {
        var result = new List<(int, int, bool)>();
        var previous = 0;
        void Add(int start, int end)
        {
            if (previous != start) result.Add((previous, start, false));
            result.Add((start, end, true));
            previous = end;
        }
        if (Pattern.Length == 0)
        {
            for (var i = 0; i <= text.Length; i += i < text.Length ? CharClass.WidthAt(text, i) : 1) Add(i, i);
        }
        else if (_regex is not null)
        {
            foreach (var m in _regex.EnumerateMatches(text)) Add(m.Index, m.Index + m.Length);
        }
        else
        {
            for (var at = text.IndexOf(Pattern, StringComparison.Ordinal); at >= 0;)
            {
                Add(at, at + Pattern.Length);
                var next = text[previous..].IndexOf(Pattern, StringComparison.Ordinal);
                at = next < 0 ? -1 : previous + next;
            }
        }
        if (previous != text.Length) result.Add((previous, text.Length, false));
        return result;
    }

    // (start, end, removed) after invert and the behavior, as Hugging Face's NormalizedString::split.
    private List<(int Start, int End, bool Removed)> Apply(List<(int Start, int End, bool Match)> matches)
    {
        var result = new List<(int Start, int End, bool Removed)>(matches.Count);
        var previousMatch = false;
        if (Behavior == "MergedWithNext") matches.Reverse();
        foreach (var (start, end, m) in matches)
        {
            var match = m != Invert;
            switch (Behavior)
            {
                case "Removed":
                    result.Add((start, end, match));
                    break;
                case "Isolated":
                    result.Add((start, end, false));
                    break;
                case "MergedWithPrevious" when match && !previousMatch && result.Count > 0:
                    result[^1] = (result[^1].Start, end, false);
                    break;
                case "MergedWithNext" when match && !previousMatch && result.Count > 0:
                    result[^1] = (start, result[^1].End, false);
                    break;
                case "Contiguous" when match == previousMatch && result.Count > 0:
                    result[^1] = (result[^1].Start, end, false);
                    break;
                default:
                    result.Add((start, end, false));
                    break;
            }
            previousMatch = match;
        }
        if (Behavior == "MergedWithNext") result.Reverse();
        return result;
    }

    public override void Write(TokenizerJsonWriter json) => json.StartObject()
        .Property("type", "Split")
        .Key("pattern").StartObject().Property(IsRegex ? "Regex" : "String", Pattern).EndObject()
        .Property("behavior", Behavior)
        .Property("invert", Invert)
        .EndObject();
}
