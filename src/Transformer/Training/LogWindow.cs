// Training statistics accumulated between two log lines: mean loss, token accuracy, throughput. Checkpoints keep
// the window (a checkpoint between two log lines holds part of one), so a resumed run logs what an uninterrupted
// one logs.
using System.Text.Json.Serialization;

namespace Transformer.Training;

/// <summary>A log window as a checkpoint keeps it (trainer.json's log_window).</summary>
public sealed record LogWindowState(
    [property: JsonPropertyName("loss_sum")] double LossSum,
    [property: JsonPropertyName("batches")] long Batches,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("correct")] long Correct,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("skipped_updates")] int SkippedUpdates,
    [property: JsonPropertyName("grad_norm")] double? GradNorm,
    [property: JsonPropertyName("last_elapsed")] double LastElapsed,
    [property: JsonPropertyName("last_tokens_seen")] long LastTokensSeen);

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

    /// <summary>A masked language model's window: its tokens are the chosen positions, logged as mlm_accuracy and
    /// mlm_perplexity (exp of the window's mean loss) instead of token_accuracy.</summary>
    public bool MaskedTokens { get; set; }

    public LogWindowState State => new(lossSum, batches, tokens, correct, Skipped, SkippedUpdates, GradNorm, lastElapsed, lastTokensSeen);

    /// <summary>The window a checkpoint kept; a checkpoint without one (written before it was kept) starts the
    /// throughput at the checkpoint's elapsed time and tokens.</summary>
    public void Restore(LogWindowState? state, double elapsed, long tokensSeen)
    {
        state ??= new LogWindowState(0, 0, 0, 0, 0, 0, null, elapsed, tokensSeen);
        (lossSum, batches, tokens, correct, Skipped, SkippedUpdates, GradNorm) =
            (state.LossSum, state.Batches, state.Tokens, state.Correct, state.Skipped, state.SkippedUpdates, state.GradNorm);
        (lastElapsed, lastTokensSeen) = (state.LastElapsed, state.LastTokensSeen);
    }

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
        var loss = lossSum / batches;
        var accuracy = tokens == 0 ? 0 : (double)correct / tokens;
        var metrics = new Dictionary<string, double> { ["loss"] = loss };
        if (MaskedTokens)
        {
            metrics["mlm_accuracy"] = accuracy;
            metrics["mlm_perplexity"] = Math.Exp(loss);
        }
        else metrics["token_accuracy"] = accuracy;
        metrics["lr"] = learningRate;
        metrics["tokens_per_s"] = (tokensSeen - lastTokensSeen) / seconds;
        metrics["elapsed_s"] = elapsed;
        if (GradNorm is { } norm) metrics["grad_norm"] = norm;
        if (Skipped > 0) metrics["skipped_batches"] = Skipped;
        if (SkippedUpdates > 0) metrics["skipped_updates"] = SkippedUpdates;
        (lossSum, batches, tokens, correct, Skipped, SkippedUpdates) = (0, 0, 0, 0, 0, 0);
        (lastElapsed, lastTokensSeen) = (elapsed, tokensSeen);
        return metrics;
    }
}
