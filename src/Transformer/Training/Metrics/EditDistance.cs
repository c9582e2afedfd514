// Levenshtein distance over any sequence: phonemes, words, characters or token ids.
namespace Transformer.Training.Metrics;

public static class EditDistance
{
    /// <summary>
    /// The fewest insertions, deletions and substitutions (each costing 1) that turn
    /// <paramref name="source"/> into <paramref name="target"/>. Two-row dynamic programme:
    /// O(|source|·|target|) time, O(|target|) memory.
    /// </summary>
    public static int Levenshtein<T>(ReadOnlySpan<T> source, ReadOnlySpan<T> target) where T : IEquatable<T>
    {
        if (source.Length == 0) return target.Length;
        if (target.Length == 0) return source.Length;

        // previous[j]: distance from source[..i] to target[..j]; current is row i + 1.
        Span<int> rows = target.Length < 256 ? stackalloc int[2 * (target.Length + 1)] : new int[2 * (target.Length + 1)];
        var previous = rows[..(target.Length + 1)];
        var current = rows[(target.Length + 1)..];
        for (int j = 0; j <= target.Length; j++) previous[j] = j;

        for (int i = 0; i < source.Length; i++)
        {
            current[0] = i + 1;
            for (int j = 0; j < target.Length; j++)
            {
                int substitution = previous[j] + (source[i].Equals(target[j]) ? 0 : 1);
                int deletion = previous[j + 1] + 1;
                int insertion = current[j] + 1;
                current[j + 1] = Math.Min(substitution, Math.Min(deletion, insertion));
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[target.Length];
    }
}
