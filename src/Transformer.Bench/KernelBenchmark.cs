// The fused kernels against the ATen operators they replace, in milliseconds (best of 3 rounds):
// dropout forward+backward on a (32, 64, 1024) activation, and one AdamW step over the base-size model.
using System.Diagnostics;
using System.Globalization;
using Transformer.Models;
using static Transformer.Torch.torch;

namespace Transformer.Bench;

internal static class KernelBenchmark
{
    public static int Run(string[] args)
    {
        var repeats = (int)Options.Get(args, "--repeats", 10);
        double Time(Action action)
        {
            action();
            var best = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < repeats; i++) action();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds / repeats);
            }
            return best;
        }

        using var x = randn(new long[] { 32, 64, 1024 }, requires_grad: true);
        using var upstream = randn(new long[] { 32, 64, 1024 });
        double Dropout(Func<Tensor, double, bool, Tensor> dropout) => Time(() =>
        {
            using var scope = NewDisposeScope();
            dropout(x, 0.1, true).backward(upstream);
            x.grad = null;
        });
        var dropoutAten = Dropout(nn.functional.dropout);
        var dropoutFused = Dropout(nn.functional.fused_dropout);

        using var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = 8000, TargetVocabSize = 8000, ShareEmbeddings = true, DModel = 512, Heads = 8, DFeedForward = 2048,
            EncoderLayers = 6, DecoderLayers = 6,
        }, seed: 0);
        foreach (var p in model.parameters()) p.grad = randn_like(p);
        double Adam(bool fused)
        {
            using var optimizer = new optim.AdamW(model.parameters(), lr: 1e-6, fused: fused);
            return Time(optimizer.step);
        }
        var adamExact = Adam(false);
        var adamFused = Adam(true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"dropout_aten_ms\": {dropoutAten:F2}, \"dropout_fused_ms\": {dropoutFused:F2}, \"adamw_exact_ms\": {adamExact:F1}, \"adamw_fused_ms\": {adamFused:F1}}}"));
        return 0;
    }
}
