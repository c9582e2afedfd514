// Levenshtein distance, to suggest the valid key nearest to a misspelt one.
namespace Transformer.Configuration;

internal static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The candidate closest to <paramref name="word"/>, or null when even that one shares too little with
    /// it to be a plausible misspelling (more edits than half its length, and more than two).</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (Candidate: c, Distance: Between(word, c))).MinBy(e => e.Distance);
        if (best.Candidate is null) return null;
        return best.Distance <= Math.Max(2, Math.Max(word.Length, best.Candidate.Length) / 2) ? best.Candidate : null;
    }
}
