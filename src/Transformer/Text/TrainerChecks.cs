// Argument checks shared by the trainers.
namespace Transformer.Text;

internal static class TrainerChecks
{
    public static void SpecialTokens(IReadOnlyList<string> tokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (string.IsNullOrEmpty(token)) throw new ArgumentException("special tokens cannot be empty", nameof(tokens));
            if (!seen.Add(token)) throw new ArgumentException($"special token \"{token}\" is listed twice", nameof(tokens));
        }
    }

    public static AddedToken[] AsAddedTokens(IReadOnlyList<string> tokens) =>
        tokens.Select((t, i) => new AddedToken(i, t, Special: true)).ToArray();

    /// <summary>Whether the text has an unpaired surrogate (such words are not learned: they are not valid Unicode).</summary>
    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
