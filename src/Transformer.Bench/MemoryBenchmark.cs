// RSS over a long training loop with one dispose scope per step: flat means the last 1,000 steps'
// mean RSS is within 5% of steps 1,000–2,000.
using System.Globalization;

namespace Transformer.Bench;

internal static class MemoryBenchmark
{
    public static int Run(string[] args)
    {
        var steps = (int)Options.Get(args, "--steps", 10_000);
        if (steps < 3000) throw new ArgumentException("--steps must be at least 3000 (the windows are steps 1,000–2,000 and the last 1,000)");
        using var trainer = new MlpTrainer(64, 256, 32);
        var rss = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            trainer.Step();
            rss[i] = Options.RssMiB();
        }
        var early = rss[1000..2000].Average();
        var late = rss[^1000..].Average();
        var growth = (late - early) / early;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"steps\": {steps}, \"rss_steps_1000_2000_mb\": {early:F1}, \"rss_last_1000_mb\": {late:F1}, \"growth\": {growth:F4}, \"peak_rss_mb\": {Options.PeakRssMiB():F1}, \"flat\": {(Math.Abs(growth) <= 0.05 ? "true" : "false")}}}"));
        return Math.Abs(growth) <= 0.05 ? 0 : 1;
    }
}
