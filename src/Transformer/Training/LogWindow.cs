// Training statistics accumulated between two log lines: mean loss, token accuracy, throughput.
namespace Transformer.Training;

internal sealed class LogWindow
{
    private double lossSum;
    private long batches, tokens, correct;
    private double lastElapsed;
    private long lastTokensSeen;

    /// <summary>Batches whose loss was not finite, and updates whose gradient norm was not (training.on_nonfinite: skip).</summary>
    public int Skipped { get; set; }
    public int SkippedUpdates { get; set; }
    public double? GradNorm { get; set; }

    public void Add(float loss, long batchTokens, long batchCorrect)
    {
        lossSum += loss;
        batches++;
        tokens += batchTokens;
        correct += batchCorrect;
    }

    /// <summary>True when batches were trained since the last log line.</summary>
    public bool HasData => batches > 0;

    public Dictionary<string, double> Flush(double learningRate, double elapsed, long tokensSeen)
    {
        var seconds = Math.Max(1e-9, elapsed - lastElapsed);
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = lossSum / batches,
            ["token_accuracy"] = tokens == 0 ? 0 : (double)correct / tokens,
            ["lr"] = learningRate,
            ["tokens_per_s"] = (tokensSeen - lastTokensSeen) / seconds,
            ["elapsed_s"] = elapsed,
        };
        if (GradNorm is { } norm) metrics["grad_norm"] = norm;
        if (Skipped > 0) metrics["skipped_batches"] = Skipped;
        if (SkippedUpdates > 0) metrics["skipped_updates"] = SkippedUpdates;
        (lossSum, batches, tokens, correct, Skipped, SkippedUpdates) = (0, 0, 0, 0, 0, 0);
        (lastElapsed, lastTokensSeen) = (elapsed, tokensSeen);
        return metrics;
    }
}
