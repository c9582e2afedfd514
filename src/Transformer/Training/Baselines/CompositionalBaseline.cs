// Compositional: translate character by character — for each character of the source (a Unicode scalar
// value), the first sense (the text before the first "; ") of the target of that character's own
// one-character training source (its first training example when it has several), joined with spaces.
// Characters without such an entry (white space included) contribute nothing; a source none of whose
// characters has one gets "".
using System.Text;

namespace Transformer.Training.Baselines;

public sealed class CompositionalBaseline : IPairBaseline
{
    /// <summary>What separates senses in a target ("; ", as the CC-CEDICT conversion joins them).</summary>
    public const string SenseSeparator = "; ";

    private readonly Dictionary<int, string> senses = [];

    /// <param name="pairs">The training split's (source, target) pairs, in order.</param>
    public CompositionalBaseline(IEnumerable<(string Source, string Target)> pairs)
    {
        foreach (var (source, target) in pairs)
        {
            var trimmed = source.Trim();
            if (trimmed.Length == 0 || !Rune.TryGetRuneAt(trimmed, 0, out var rune) || rune.Utf16SequenceLength != trimmed.Length) continue; // not one character
            var end = target.IndexOf(SenseSeparator, StringComparison.Ordinal);
            senses.TryAdd(rune.Value, (end < 0 ? target : target[..end]).Trim());
        }
    }

    public string Name => "compositional";

    /// <summary>Characters with a one-character training entry.</summary>
    public int Characters => senses.Count;

    public string Predict(string source) =>
        string.Join(' ', source.EnumerateRunes().Select(r => senses.GetValueOrDefault(r.Value)).Where(s => !string.IsNullOrEmpty(s)));
}
