// Byte-level BPE on a corpus file: training time to an 8k vocabulary and encoding throughput, one
// thread and all threads. The details go to stderr; the last line is the summary JSON bench.sh reads.
using System.Globalization;
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"corpus_mb\": {r.GetProperty("corpus_mb").GetDouble()}, \"train_seconds\": {r.GetProperty("train_s").GetDouble()}, " +
            $"\"encode_mb_per_s_one_thread\": {r.GetProperty("encode_mb_per_s_1_thread").GetDouble()}, " +
            $"\"encode_mb_per_s_all_threads\": {r.GetProperty("encode_mb_per_s_all_threads").GetDouble()}}}"));
        return 0;
    }
}
