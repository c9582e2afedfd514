// A corpus BLEU score with its sufficient statistics, and the formula that turns statistics into a
// score (sacreBLEU 2.x's compute_bleu with its default 'exp' smoothing, no effective order).
namespace Transformer.Training.Metrics;

/// <param name="Score">BLEU on sacreBLEU's 0–100 scale.</param>
/// <param name="Matches">Clipped n-gram matches for n = 1..max order.</param>
/// <param name="Totals">Hypothesis n-grams for n = 1..max order.</param>
/// <param name="Precisions">The (smoothed) n-gram precisions in percent, as sacreBLEU prints them.</param>
/// <param name="BrevityPenalty">exp(1 − r/c) when the hypotheses are shorter than the references, else 1.</param>
/// <param name="HypothesisLength">c: hypothesis tokens over the corpus.</param>
/// <param name="ReferenceLength">r: the closest reference's tokens, summed over the corpus.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<long> Matches,
    IReadOnlyList<long> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long HypothesisLength,
    long ReferenceLength)
{
    // sacreBLEU's my_log(0): a finite floor, so a zero precision makes the score (exactly) 0.
    private const double LogOfZero = -9999999999;

    /// <summary>
    /// BLEU from corpus statistics. A precision with no match is smoothed as mteval-v13a does ('exp'):
    /// the k-th such order gets 1 / (2^k · total). An order with no hypothesis n-grams at all leaves its
    /// precision at 0, and so does a corpus without any match: the score is then 0.
    /// </summary>
    public static BleuScore FromStatistics(IReadOnlyList<long> matches, IReadOnlyList<long> totals,
        long hypothesisLength, long referenceLength)
    {
        if (matches.Count != totals.Count || matches.Count == 0)
        {
            throw new ArgumentException(
                $"matches and totals need one entry per n-gram order, got {matches.Count} and {totals.Count}");
        }
        int maxOrder = matches.Count;
        double brevityPenalty = hypothesisLength >= referenceLength ? 1.0
            : hypothesisLength > 0 ? Math.Exp(1.0 - (double)referenceLength / hypothesisLength)
            : 0.0;
        var precisions = new double[maxOrder];
        var result = new BleuScore(0.0, matches.ToArray(), totals.ToArray(), precisions, brevityPenalty,
            hypothesisLength, referenceLength);
        if (matches.All(m => m == 0)) return result;

        double smoothing = 1.0;
        for (int n = 0; n < maxOrder; n++)
        {
            if (totals[n] == 0) break;
            if (matches[n] == 0)
            {
                smoothing *= 2;
                precisions[n] = 100.0 / (smoothing * totals[n]);
            }
            else
            {
                precisions[n] = 100.0 * matches[n] / totals[n];
            }
        }
        double logSum = precisions.Sum(p => p == 0.0 ? LogOfZero : Math.Log(p));
        return result with { Score = brevityPenalty * Math.Exp(logSum / maxOrder) };
    }
}
