// Counts correct tokens and exactly matched sequences in a batch of arg-max predictions, skipping
// padding targets — the integer half of what TokenMetricsAccumulator sums.
namespace Transformer.Training.Metrics;

public sealed record TokenMatchCounts(long Tokens, long CorrectTokens, long Sequences, long ExactSequences)
{
    /// <summary>Compares row-major (B, T) predictions with targets; positions whose target is
    /// <paramref name="ignoreIndex"/> (padding) count for nothing. A row of only padding is not a sequence.</summary>
    public static TokenMatchCounts Count(ReadOnlySpan<long> predicted, ReadOnlySpan<long> targets, int sequenceLength,
        long ignoreIndex)
    {
        if (predicted.Length != targets.Length)
        {
            throw new ArgumentException($"{predicted.Length} predictions but {targets.Length} targets");
        }
        if (sequenceLength < 1 || targets.Length % sequenceLength != 0)
        {
            throw new ArgumentException($"{targets.Length} targets do not split into rows of {sequenceLength}");
        }
        long tokens = 0, correct = 0, sequences = 0, exact = 0;
        for (int row = 0; row < targets.Length; row += sequenceLength)
        {
            int rowTokens = 0, rowCorrect = 0;
            for (int t = row; t < row + sequenceLength; t++)
            {
                if (targets[t] == ignoreIndex) continue;
                rowTokens++;
                if (predicted[t] == targets[t]) rowCorrect++;
            }
            tokens += rowTokens;
            correct += rowCorrect;
            if (rowTokens == 0) continue;
            sequences++;
            if (rowCorrect == rowTokens) exact++;
        }
        return new TokenMatchCounts(tokens, correct, sequences, exact);
    }
}
