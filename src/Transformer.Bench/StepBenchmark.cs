// Milliseconds per training step (median of the measured steps) under the current thread settings
// (TRANSFORMER_NUM_THREADS for libtorch's intra-op threads).
using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class StepBenchmark
{
    public static int Run(string[] args)
    {
        var steps = (int)Options.Get(args, "--steps", 30);
        using var trainer = new MlpTrainer(512, 2048, 256);
        for (var i = 0; i < 5; i++) trainer.Step();
        var times = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            trainer.Step();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"intra_op_threads\": {get_num_threads()}, \"step_ms\": {times[steps / 2]:F2}}}"));
        return 0;
    }
}
