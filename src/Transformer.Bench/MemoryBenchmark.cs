// RSS over a long run of the real trainer on the small benchmark model (encoder-decoder, d_model 256, 3+3
// layers, 7.6M parameters): forward, backward, clipping, AdamW, a validation pass every 500 steps and a
// checkpoint every 1,000, all as a run does them. Flat means the mean RSS of the last 1,000 steps is within 5%
// of that of steps 1,000–2,000 (after the allocator's working set has formed). Rows per batch are fewer than the
// throughput benchmark's so that 10,000 steps fit in half an hour on two cores; the model is the same.
using System.Globalization;
using Transformer.Configuration;
using Transformer.Models;
using Transformer.Training;

namespace Transformer.Bench;

internal static class MemoryBenchmark
{
    public static int Run(string[] args)
    {
        var steps = (int)Options.Get(args, "--steps", 10_000);
        var rows = (int)Options.Get(args, "--rows", 4);
        if (steps < 3000) throw new ArgumentException("--steps must be at least 3000 (the windows are steps 1,000–2,000 and the last 1,000)");
        var size = TrainBenchmark.Sizes["small"] with { Rows = rows };
        var config = new ExperimentConfig
        {
            Name = "memory",
            Seed = 0,
            Model = size.Model,
            Training = TrainBenchmark.Training(steps) with { LogEvery = 1, EvalEvery = 500 },
            Checkpoint = new CheckpointConfig { Every = 1000, KeepLast = 2 },
            Data = new DataConfig { Kind = DataKind.Pairs, Builtin = "random" },
        };
        using var model = Model.Build(size.Model, config.Seed);
        var rss = new RssByStep(steps);
        var runDirectory = Directory.CreateTempSubdirectory("transformer-memory-").FullName;
        try
        {
            new Trainer(config, model, new TrainBenchmark.RandomBatches(size), runDirectory, rss).Run();
        }
        finally
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        var early = rss.Mean(1000, 2000);
        var late = rss.Mean(steps - 1000, steps);
        var drift = (late - early) / early;
        var flat = Math.Abs(drift) <= 0.05;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"model\": \"small\", \"rows\": {rows}, \"steps\": {steps}, \"rss_steps_1000_2000_mb\": {early:F1}, \"rss_last_1000_mb\": {late:F1}, \"rss_drift_percent\": {drift * 100:F2}, \"peak_rss_mb\": {Options.PeakRssMiB():F1}, \"flat\": {(flat ? "true" : "false")}}}"));
        return flat ? 0 : 1;
    }

    /// <summary>RSS after each logged step (log_every 1), with progress on stderr every 500 steps.</summary>
    private sealed class RssByStep(int steps) : ITrainingObserver
    {
        private readonly double[] rss = new double[steps + 1];

        public void OnLog(long step, IReadOnlyDictionary<string, double> metrics)
        {
            rss[step] = Options.RssMiB();
            if (step % 500 == 0) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step}: RSS {rss[step]:F0} MB, loss {metrics["loss"]:F3}"));
        }

        /// <summary>Mean RSS over steps (from, to].</summary>
        public double Mean(int from, int to) => rss[(from + 1)..(to + 1)].Average();
    }
}
