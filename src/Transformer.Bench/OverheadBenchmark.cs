// Per-op cost of the binding: a 1-element add whose result is disposed, as PyTorch users write `c = a + b`.
using System.Diagnostics;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class OverheadBenchmark
{
    public static int Run(string[] args)
    {
        var iterations = Options.Get(args, "--iterations", 1_000_000);
        using var a = tensor(new float[] { 1f });
        using var b = tensor(new float[] { 2f });
        for (var i = 0; i < 200_000; i++) (a + b).Dispose();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            using var c = a + b;
        }
        var us = sw.Elapsed.TotalMicroseconds / iterations;
        Console.WriteLine(FormattableString.Invariant($"{{\"csharp_us\": {us:F4}}}"));
        return 0;
    }
}
