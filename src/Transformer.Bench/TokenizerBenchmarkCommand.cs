// Tokenizers on a corpus file: our byte-level BPE's training time to an 8k vocabulary and encoding throughput,
// then every kind, ours and the library's, encoding the same text (TokenizerComparison). The details and a
// Markdown table go to stderr; the last line is the summary JSON bench.sh reads.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Transformer.Text;

namespace Transformer.Bench;

internal static class TokenizerBenchmarkCommand
{
    public static int Run(string[] args)
    {
        var corpus = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var details = TokenizerBenchmark.Run(Console.Error, corpus);
        Console.Error.WriteLine(details);
        using var json = JsonDocument.Parse(details);
        var r = json.RootElement;
        var text = corpus is null ? TokenizerBenchmark.GenerateCorpus(6_000_000, seed: 1) : File.ReadAllText(corpus);
        var rows = TokenizerComparison.Run(text, Console.Error);
        Console.Error.WriteLine();
        Console.Error.WriteLine($"| tokenizer ({Encoding.UTF8.GetByteCount(text) / 1e6:F2} MB) | encode MB/s, 1 thread | MB per CPU-second, 1 thread | MB/s, {Environment.ProcessorCount} threads | bytes/token |");
        Console.Error.WriteLine("|---|---|---|---|---|");
        foreach (var row in rows)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {row.OneThread:F1} | {row.OneThreadCpu:F1} | {row.AllThreads:F1} | {row.BytesPerToken:F2} |"));
        var tiktoken = rows.First(x => x.Name.EndsWith("tiktoken gpt2", StringComparison.Ordinal));
        var (ours, oursCpu) = (TokenizerComparison.OursOverTiktoken, rows[0].OneThreadCpu / tiktoken.OneThreadCpu);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"our byte-level BPE / library tiktoken gpt2, one thread: {ours:F2}× wall (median of {TokenizerComparison.Rounds} paired rounds), {oursCpu:F2}× CPU (goal ≥ 2.5×)"));
        var kinds = string.Join(", ", rows.Select(x => string.Create(CultureInfo.InvariantCulture,
            $"\"{x.Name}\": {{\"one_thread\": {x.OneThread:F1}, \"one_thread_cpu\": {x.OneThreadCpu:F1}, \"all_threads\": {x.AllThreads:F1}}}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"corpus_mb\": {r.GetProperty("corpus_mb").GetDouble()}, \"train_seconds\": {r.GetProperty("train_s").GetDouble()}, " +
            $"\"encode_mb_per_s_one_thread\": {r.GetProperty("encode_mb_per_s_1_thread").GetDouble()}, " +
            $"\"encode_mb_per_s_all_threads\": {r.GetProperty("encode_mb_per_s_all_threads").GetDouble()}, " +
            $"\"bpe_vs_tiktoken_gpt2\": {ours:F2}, \"bpe_vs_tiktoken_gpt2_cpu\": {oursCpu:F2}, \"encode_mb_per_s\": {{{kinds}}}}}"));
        return 0;
    }
}
