// Greedy decoding of 256 new tokens from a decoder-only model (d_model 256, 4 layers, 4 heads, d_ff 1024,
// vocabulary 8,000), batch 1 and 8, with the KV cache and without it (recomputing the prefix each step).
// Prints tokens/s (new tokens × rows / seconds), median of the runs, one JSON line.
using System.Diagnostics;
using System.Globalization;
using Transformer.Models;
using Transformer.Models.Decoding;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class GenerateBenchmark
{
    public const int NewTokens = 256, PromptLength = 16, Vocab = 8000;

    public static int Run(string[] args)
    {
        var runs = (int)Options.Get(args, "--runs", 3);
        using var model = DecoderOnly.Build(new DecoderOnlyConfig
        {
            VocabSize = Vocab, DModel = 256, Heads = 4, DFeedForward = 1024, Layers = 4, Dropout = 0, MaxPositions = 512,
        }, seed: 0);
        model.eval();
        var results = new List<string>();
        foreach (var batch in new[] { 1, 8 })
            foreach (var cache in new[] { true, false })
            {
                var prompts = Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, PromptLength).Select(i => (long)(3 + (b * 31 + i * 7) % (Vocab - 3))).ToArray()).ToList();
                Decode(model, prompts, cache);                                                  // warm-up
                var times = Enumerable.Range(0, runs).Select(_ =>
                {
                    var sw = Stopwatch.StartNew();
                    Decode(model, prompts, cache);
                    return sw.Elapsed.TotalSeconds;
                }).Order().ToArray();
                var tokensPerSecond = NewTokens * batch / times[runs / 2];
                results.Add(string.Create(CultureInfo.InvariantCulture, $"\"batch{batch}_{(cache ? "cache" : "no_cache")}_tokens_per_s\": {tokensPerSecond:F1}"));
                Console.Error.WriteLine($"batch {batch}, {(cache ? "KV cache" : "no cache")}: {tokensPerSecond:F1} tokens/s");
            }
        Console.WriteLine("{" + string.Join(", ", results) + "}");
        return 0;
    }

    private static void Decode(DecoderOnly model, IReadOnlyList<long[]> prompts, bool cache)
    {
        using var scope = NewDisposeScope();
        using var stepper = DecoderOnlyStepper.Create(model, prompts, useCache: cache);
        var outputs = GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = NewTokens });       // no EOS: exactly 256 tokens
        if (outputs.Any(o => o.Tokens.Length != NewTokens)) throw new InvalidOperationException("expected 256 new tokens per row");
    }
}
