// The reference-handling rules sacreBLEU applies before any metric: empty references are dropped (a
// segment may have fewer references than its neighbours), but every segment needs at least one.
namespace Transformer.Training.Metrics;

internal static class ReferenceList
{
    public static IReadOnlyList<string> NonEmpty(IReadOnlyList<string> references, int segment, string metric)
    {
        ArgumentNullException.ThrowIfNull(references);
        var usable = references.Where(r => !string.IsNullOrEmpty(r)).ToArray();
        if (usable.Length == 0)
        {
            throw new ArgumentException(
                $"{metric}: segment {segment} has no non-empty reference ({references.Count} given)");
        }
        return usable;
    }

    public static void CheckAligned(int hypotheses, int references)
    {
        if (hypotheses != references)
        {
            throw new ArgumentException(
                $"{hypotheses} hypotheses but {references} reference lists: they must be aligned one to one");
        }
    }
}
