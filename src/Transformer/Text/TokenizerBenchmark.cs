// Measures BPE training time and encoding throughput (not a test). Without a corpus file it generates
// English-like text deterministically: real function words and pseudo-words drawn with Zipfian
// frequencies, sentences with capitals, commas, numbers, possessives and paragraphs.
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Transformer.Text;

public static class TokenizerBenchmark
{
    private static readonly string[] FunctionWords =
    [
        "the", "of", "and", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as", "his", "on",
        "be", "at", "by", "i", "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which",
        "one", "you", "were", "her", "all", "she", "there", "would", "their", "we", "him", "been", "has", "when",
        "who", "will", "more", "no", "if", "out", "so", "said", "what", "up", "its", "about", "into", "than",
    ];

    /// <summary>
    /// Trains a byte-level BPE on the corpus (word counting and merges on one thread), then encodes the
    /// corpus line by line on one thread and as paragraphs with EncodeBatch on all threads (each with a
    /// fresh tokenizer: a first pass with an empty word cache, then the best of three warm passes). Times are wall clock
    /// and, because shared machines are noisy, process CPU time too. Writes progress to
    /// <paramref name="log"/> and returns one JSON line of results.
    /// </summary>
    public static string Run(TextWriter log, string? corpusPath = null, int megabytes = 6, int vocabSize = 8000)
    {
        var text = corpusPath is null ? GenerateCorpus(megabytes * 1_000_000, seed: 1) : File.ReadAllText(corpusPath);
        var lines = SplitLines(text);
        var mb = Encoding.UTF8.GetByteCount(text) / 1e6;
        log.WriteLine($"corpus: {corpusPath ?? "synthetic Zipfian English-like text"}, {mb:F2} MB, {lines.Count} lines");

        var (tokenizer, train) = Measure(() =>
            BpeTokenizer.Train(lines, new BpeTrainerOptions { VocabSize = vocabSize, MaxDegreeOfParallelism = 1 }));
        log.WriteLine($"train: {train.Wall:F2} s wall, {train.Cpu:F2} s CPU to {tokenizer.VocabSize} tokens ({tokenizer.Merges.Count} merges)");

        var fresh = Tokenizer.FromJson(tokenizer.ToJson());   // an empty word cache
        var (tokens, first) = Measure(() => lines.Sum(line => (long)fresh.Encode(line).Length));
        var warm = Enumerable.Range(0, 3).Select(_ => Measure(() => lines.Sum(line => fresh.Encode(line).Length)).Time)
            .MinBy(t => t.Cpu);
        log.WriteLine($"encode, 1 thread: first pass {mb / first.Wall:F1} MB/s wall, {mb / first.Cpu:F1} MB/s CPU; " +
                      $"warm {mb / warm.Wall:F1} MB/s wall, {mb / warm.Cpu:F1} MB/s CPU; {mb * 1e6 / tokens:F2} bytes/token");

        var documents = Paragraphs(lines);
        var shared = Tokenizer.FromJson(tokenizer.ToJson());
        var (_, parallelFirst) = Measure(() => shared.EncodeBatch(documents));
        var parallel = Enumerable.Range(0, 3).Select(_ => Measure(() => shared.EncodeBatch(documents)).Time).MinBy(t => t.Wall);
        log.WriteLine($"encode, EncodeBatch on {Environment.ProcessorCount} threads: first pass {mb / parallelFirst.Wall:F1} MB/s wall, " +
                      $"warm {mb / parallel.Wall:F1} MB/s wall ({mb / parallel.Cpu:F1} MB/s per CPU-second)");

        var roundTrip = lines.Take(2000).All(l => fresh.Decode(fresh.Encode(l)) == l);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"corpus_mb\": {mb:F2}, \"synthetic\": {(corpusPath is null ? "true" : "false")}, \"vocab_size\": {tokenizer.VocabSize}, " +
            $"\"train_s\": {train.Wall:F2}, \"train_cpu_s\": {train.Cpu:F2}, " +
            $"\"encode_mb_per_s_1_thread_first\": {mb / first.Wall:F1}, \"encode_mb_per_s_1_thread_first_cpu\": {mb / first.Cpu:F1}, " +
            $"\"encode_mb_per_s_1_thread\": {mb / warm.Wall:F1}, \"encode_mb_per_s_1_thread_cpu\": {mb / warm.Cpu:F1}, " +
            $"\"encode_mb_per_s_all_threads_first\": {mb / parallelFirst.Wall:F1}, \"encode_mb_per_s_all_threads\": {mb / parallel.Wall:F1}, \"threads\": {Environment.ProcessorCount}, " +
            $"\"bytes_per_token\": {mb * 1e6 / tokens:F2}, \"round_trip\": {(roundTrip ? "true" : "false")}}}");
    }

    private static (T Result, (double Wall, double Cpu) Time) Measure<T>(Func<T> action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var result = action();
        var elapsed = wall.Elapsed.TotalSeconds;
        process.Refresh();
        return (result, (elapsed, (process.TotalProcessorTime - cpu).TotalSeconds));
    }

    /// <summary>About <paramref name="chars"/> characters of English-like text, the same for the same seed.</summary>
    public static string GenerateCorpus(int chars, int seed)
    {
        var random = new Random(seed);
        var vocabulary = Vocabulary(random, 40_000);
        // Zipf (s = 1.05) over ranks, sampled through the cumulative distribution.
        var cumulative = new double[vocabulary.Length];
        double sum = 0;
        for (var r = 0; r < vocabulary.Length; r++) cumulative[r] = sum += 1 / Math.Pow(r + 1, 1.05);
        string Word()
        {
            var u = random.NextDouble() * sum;
            var i = Array.BinarySearch(cumulative, u);
            return vocabulary[i < 0 ? ~i : i];
        }

        var text = new StringBuilder(chars + 200);
        while (text.Length < chars)
        {
            for (int s = 0, sentences = random.Next(2, 7); s < sentences; s++)
            {
                for (int w = 0, length = random.Next(4, 24); w < length; w++)
                {
                    var word = random.Next(60) == 0 ? random.Next(1, 2000).ToString(CultureInfo.InvariantCulture) : Word();
                    if (w == 0) word = char.ToUpperInvariant(word[0]) + word[1..];
                    else if (random.Next(40) == 0) word = char.ToUpperInvariant(word[0]) + word[1..] + "'s";
                    text.Append(word);
                    text.Append(w == length - 1 ? (random.Next(8) == 0 ? "?" : ".") : random.Next(12) == 0 ? ", " : " ");
                }
                text.Append(s == sentences - 1 ? "\n" : " ");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    // The function words first, then pseudo-words from syllables, shorter words at more frequent ranks.
    private static string[] Vocabulary(Random random, int size)
    {
        string[] onsets = ["", "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "st", "tr", "pl", "ch", "sh", "th", "br", "gr"];
        string[] vowels = ["a", "e", "i", "o", "u", "ea", "ou", "ai", "io"];
        string[] codas = ["", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "ck", "rt", "ss"];
        string[] suffixes = ["", "", "", "ed", "ing", "ly", "er", "s", "tion", "ment", "ness"];
        var words = new HashSet<string>(FunctionWords, StringComparer.Ordinal);
        var generated = new List<string>();
        while (generated.Count < size - FunctionWords.Length)
        {
            var word = new StringBuilder();
            for (int k = 0, syllables = 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.2); k < Math.Min(syllables, 5); k++)
                word.Append(onsets[random.Next(onsets.Length)]).Append(vowels[random.Next(vowels.Length)]).Append(codas[random.Next(codas.Length)]);
            word.Append(suffixes[random.Next(suffixes.Length)]);
            if (word.Length > 1 && words.Add(word.ToString())) generated.Add(word.ToString());
        }
        return FunctionWords.Concat(generated.OrderBy(w => w.Length).ThenBy(_ => random.Next())).ToArray();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    private static List<string> Paragraphs(List<string> lines)
    {
        var documents = new List<string>();
        var current = new StringBuilder();
        foreach (var line in lines)
        {
            current.Append(line);
            if (line == "\n" || current.Length > 4000)
            {
                documents.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0) documents.Add(current.ToString());
        return documents;
    }
}
