// A corpus chrF score with its statistics, and sacreBLEU 2.x's formula from statistics to score.
namespace Transformer.Training.Metrics;

/// <param name="Score">chrF on sacreBLEU's 0–100 scale.</param>
/// <param name="HypothesisNGrams">Hypothesis character n-grams per order (n = 1..order); an order the
/// reference has no n-gram of counts 0 here, as in sacreBLEU.</param>
/// <param name="ReferenceNGrams">Reference character n-grams per order.</param>
/// <param name="Matches">Clipped common n-grams per order.</param>
public sealed record ChrfScore(
    double Score,
    IReadOnlyList<long> HypothesisNGrams,
    IReadOnlyList<long> ReferenceNGrams,
    IReadOnlyList<long> Matches)
{
    private const double Epsilon = 1e-16;

    /// <summary>The F-β score (0–100) of per-order statistics.</summary>
    public static double FScore(IReadOnlyList<long> hypothesis, IReadOnlyList<long> reference,
        IReadOnlyList<long> matches, double beta, bool epsilonSmoothing)
    {
        double factor = beta * beta;
        double smoothedSum = 0.0, precisionSum = 0.0, recallSum = 0.0;
        int effectiveOrder = 0;
        for (int n = 0; n < hypothesis.Count; n++)
        {
            double precision = hypothesis[n] > 0 ? (double)matches[n] / hypothesis[n] : Epsilon;
            double recall = reference[n] > 0 ? (double)matches[n] / reference[n] : Epsilon;
            double denominator = factor * precision + recall;
            smoothedSum += denominator > 0 ? (1 + factor) * precision * recall / denominator : Epsilon;
            if (hypothesis[n] > 0 && reference[n] > 0)
            {
                precisionSum += precision;
                recallSum += recall;
                effectiveOrder++;
            }
        }
        if (epsilonSmoothing) return 100 * smoothedSum / hypothesis.Count;
        if (effectiveOrder == 0) return 0.0;

        double averagePrecision = precisionSum / effectiveOrder, averageRecall = recallSum / effectiveOrder;
        if (averagePrecision + averageRecall == 0) return 0.0;
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall);
    }
}
