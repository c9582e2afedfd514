// Sums what a batch reports — token NLL, token counts, correct tokens, sequences matched exactly — so
// the loss, perplexity and accuracies of an evaluation are exact corpus figures, not means of means.
namespace Transformer.Training.Metrics;

public sealed class TokenMetricsAccumulator
{
    private double _nllSum;
    private long _tokens;
    private long _correctTokens;
    private long _sequences;
    private long _exactSequences;

    /// <summary>Adds one batch.</summary>
    /// <param name="nllSum">Σ −log p(target token) over the batch's non-padding targets, in nats
    /// (cross-entropy with reduction "sum" and the padding id ignored).</param>
    /// <param name="tokens">Non-padding target tokens.</param>
    /// <param name="correctTokens">Non-padding targets the model's arg-max predicted.</param>
    /// <param name="sequences">Sequences in the batch (0 when exact match is not tracked).</param>
    /// <param name="exactSequences">Sequences whose every non-padding target was predicted.</param>
    public void Add(double nllSum, long tokens, long correctTokens = 0, long sequences = 0, long exactSequences = 0)
    {
        if (!double.IsFinite(nllSum) || nllSum < 0) throw new ArgumentException($"nll sum must be finite and ≥ 0, got {nllSum}");
        if (tokens < 0) throw new ArgumentException($"token count must be ≥ 0, got {tokens}");
        if (correctTokens < 0 || correctTokens > tokens)
        {
            throw new ArgumentException($"correct tokens must be between 0 and the {tokens} tokens, got {correctTokens}");
        }
        if (sequences < 0 || exactSequences < 0 || exactSequences > sequences)
        {
            throw new ArgumentException(
                $"exact sequences must be between 0 and the {sequences} sequences (≥ 0), got {exactSequences}");
        }
        _nllSum += nllSum;
        _tokens += tokens;
        _correctTokens += correctTokens;
        _sequences += sequences;
        _exactSequences += exactSequences;
    }

    /// <summary>Adds one batch's counts plus its NLL sum.</summary>
    public void Add(double nllSum, TokenMatchCounts counts) =>
        Add(nllSum, counts.Tokens, counts.CorrectTokens, counts.Sequences, counts.ExactSequences);

    public TokenMetrics Result => _tokens == 0
        ? throw new InvalidOperationException("loss and accuracy are undefined: no target token was added")
        : new TokenMetrics(
            Loss: _nllSum / _tokens,
            Perplexity: Math.Exp(_nllSum / _tokens),
            TokenAccuracy: (double)_correctTokens / _tokens,
            ExactMatch: _sequences == 0 ? null : (double)_exactSequences / _sequences,
            Tokens: _tokens,
            Sequences: _sequences);
}
