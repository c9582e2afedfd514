// The one switch over baseline kinds (evaluation.baselines): each built from the training split's pairs.
using Transformer.Configuration;

namespace Transformer.Training.Baselines;

public static class PairBaselines
{
    /// <summary>The baselines <paramref name="kinds"/> names, in that order, built from <paramref name="trainingPairs"/>
    /// (read once).</summary>
    public static IReadOnlyList<IPairBaseline> Build(IReadOnlyList<BaselineKind> kinds, IEnumerable<(string Source, string Target)> trainingPairs)
    {
        if (kinds.Count == 0) return [];
        var pairs = trainingPairs as IReadOnlyList<(string, string)> ?? trainingPairs.ToList();
        return kinds.Select(kind => kind switch
        {
            BaselineKind.Retrieval => (IPairBaseline)new RetrievalBaseline(pairs),
            BaselineKind.Compositional => new CompositionalBaseline(pairs),
            _ => throw new ArgumentOutOfRangeException(nameof(kinds), kind, "an unknown baseline"),
        }).ToList();
    }
}
