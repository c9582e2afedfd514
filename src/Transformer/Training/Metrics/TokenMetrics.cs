namespace Transformer.Training.Metrics;

/// <param name="Loss">Mean token NLL in nats.</param>
/// <param name="Perplexity">exp(Loss); +∞ when the loss exceeds ~709.</param>
/// <param name="TokenAccuracy">Correct non-padding tokens / non-padding tokens.</param>
/// <param name="ExactMatch">Sequences predicted exactly / sequences; null when no sequence was counted.</param>
public sealed record TokenMetrics(double Loss, double Perplexity, double TokenAccuracy, double? ExactMatch, long Tokens, long Sequences);
