// Forward + backward of an EncoderDecoder (d_model 512, 6+6 layers, 8 heads, d_ff 2048, batch 16 × 64
// tokens, shared vocabulary 8,000, dropout 0.1): target tokens per second, median of the measured steps.
using System.Diagnostics;
using System.Globalization;
using Transformer.Models;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class ModelBenchmark
{
    public static int Run(string[] args)
    {
        var steps = (int)Options.Get(args, "--steps", 5);
        const int batch = 16, length = 64, vocab = 8000;
        using var model = EncoderDecoder.Build(new EncoderDecoderConfig
        {
            SourceVocabSize = vocab, TargetVocabSize = vocab, ShareEmbeddings = true, DModel = 512, Heads = 8, DFeedForward = 2048,
            EncoderLayers = 6, DecoderLayers = 6, Dropout = 0.1,
        }, seed: 0);
        model.train();
        using var source = randint(1, vocab, new long[] { batch, length });
        using var target = randint(1, vocab, new long[] { batch, length });
        using var labels = randint(1, vocab, new long[] { batch * length });
        void Step()
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var logits = model.forward(source, target);
            var loss = nn.functional.cross_entropy(logits.view(-1, vocab), labels, label_smoothing: 0.1);
            loss.backward();
        }
        Step();
        var times = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            Step();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"ours_tokens_per_s\": {batch * length / times[steps / 2]:F1}, \"peak_rss_mb\": {Options.PeakRssMiB():F1}}}"));
        return 0;
    }
}
