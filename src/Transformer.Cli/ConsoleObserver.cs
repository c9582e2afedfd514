// Training progress as plain lines, one per log interval and evaluation (suitable for terminals, logs and CI).
using System.Globalization;
using Transformer.Training;

namespace Transformer.Cli;

internal sealed class ConsoleObserver : ITrainingObserver
{
    private long? maxSteps;

    public void OnStart(long step, long? max)
    {
        maxSteps = max;
        Console.WriteLine(step == 0 ? $"training{(max is null ? "" : $" for {max} steps")}" : $"resuming at step {step}");
    }

    public void OnLog(long step, IReadOnlyDictionary<string, double> m) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"step {step}{(maxSteps is { } max ? $"/{max}" : "")}  loss {m["loss"]:F4}  {Accuracy(m)}  lr {m["lr"]:E2}  {m["tokens_per_s"]:F0} tok/s  {m["elapsed_s"]:F0}s"));

    /// <summary>"acc 12.3%", or a masked language model's "mlm acc 12.3%".</summary>
    private static string Accuracy(IReadOnlyDictionary<string, double> m) => m.TryGetValue("mlm_accuracy", out var mlm)
        ? string.Create(CultureInfo.InvariantCulture, $"mlm acc {mlm:P1}")
        : string.Create(CultureInfo.InvariantCulture, $"acc {m["token_accuracy"]:P1}");

    public void OnEvaluation(long step, IReadOnlyDictionary<string, double> m, bool improved) =>
        Console.WriteLine("  " + EvaluationLine(step, m, improved));

    /// <summary>"valid @ STEP: name value  name value  (best)", shared with the live display.</summary>
    public static string EvaluationLine(long step, IReadOnlyDictionary<string, double> m, bool improved) =>
        $"valid @ {step}: " + string.Join("  ", m.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:G5}")))
        + (improved ? "  (best)" : "");

    public void OnCheckpoint(long step, string path) => Console.WriteLine($"  saved {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
}
