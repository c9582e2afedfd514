// The machine's float32 matmul peak under the current thread settings: the best of several timed
// 1024 × 1024 × 1024 products (2·n³ FLOPs each), the denominator of model FLOPs utilization.
using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class MatmulBenchmark
{
    public static int Run(string[] args)
    {
        var n = Options.Get(args, "--n", 1024);
        var repeats = (int)Options.Get(args, "--repeats", 20);
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (var warm = a.matmul(b)) { }
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var c = a.matmul(b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"matmul_gflops\": {2.0 * n * n * n / best / 1e9:F1}}}"));
        return 0;
    }
}
