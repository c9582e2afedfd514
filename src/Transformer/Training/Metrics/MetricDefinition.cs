// What the trainer needs to know about a metric it prints: its name, its range and which way is better
// (for early stopping and choosing the best checkpoint).
namespace Transformer.Training.Metrics;

/// <param name="Name">The name the CLI prints and metrics.jsonl stores.</param>
/// <param name="HigherIsBetter">True for scores (BLEU, accuracy), false for errors and losses.</param>
/// <param name="Minimum">Smallest valid value.</param>
/// <param name="Maximum">Largest valid value (+∞ when unbounded).</param>
/// <param name="Description">One line for help texts.</param>
public sealed record MetricDefinition(string Name, bool HigherIsBetter, double Minimum, double Maximum, string Description)
{
    /// <summary>Whether <paramref name="candidate"/> improves on <paramref name="best"/> (strictly).</summary>
    public bool IsBetter(double candidate, double best) => HigherIsBetter ? candidate > best : candidate < best;

    /// <summary>The worst possible value: the starting point of a best-so-far search.</summary>
    public double Worst => HigherIsBetter ? Minimum : Maximum;

    // Scores computed through exp/log, such as BLEU of a perfect corpus (100.00000000000004 in sacreBLEU
    // too), may overshoot their bound by round-off; that much is clamped, anything more is an error.
    private const double RoundOff = 1e-9;

    /// <summary>The value, clamped when it is within round-off of the range; otherwise an error.</summary>
    public double Checked(double value)
    {
        if (double.IsNaN(value) || value < Minimum - RoundOff || value > Maximum + RoundOff)
        {
            throw new ArgumentException($"metric {Name} must be in [{Minimum}, {Maximum}], got {value}");
        }
        return Math.Clamp(value, Minimum, Maximum);
    }
}
