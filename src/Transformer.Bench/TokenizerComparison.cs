// Encoding throughput of every tokenizer kind on the same text: ours (byte-level BPE, word, char) and
// Microsoft.ML.Tokenizers' (tiktoken gpt2/cl100k/o200k, its BpeTokenizer built from our BPE's vocab.json and
// merges.txt, WordPiece over a vocabulary derived from our word-level one). After a first pass that fills caches, 5
// rounds each time every kind in turn: one thread (the corpus line by line, by wall clock and by process CPU time —
// on a shared machine the CPU figure is the steadier one) and all threads (paragraphs in parallel); medians.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Transformer.Configuration;
using Transformer.Text;
using Transformer.Training;
using Lib = Microsoft.ML.Tokenizers;

namespace Transformer.Bench;

internal static class TokenizerComparison
{
    public sealed record Row(string Name, double OneThread, double OneThreadCpu, double AllThreads, double BytesPerToken);

    public static List<Row> Run(string text, TextWriter log)
    {
        var lines = text.Split('\n').Select(l => l + "\n").ToList();
        var paragraphs = lines.Chunk(40).Select(chunk => string.Concat(chunk)).ToList();
        var mb = Encoding.UTF8.GetByteCount(text) / 1e6;
        var folder = Directory.CreateTempSubdirectory("tokenizer-bench-").FullName;
        try
        {
            var bpe = BpeTokenizer.Train(lines, new BpeTrainerOptions { VocabSize = 8000 });
            var words = WordLevelTokenizer.TrainWords(lines, new WordLevelTrainerOptions { VocabSize = 30000, Lowercase = true });
            var chars = WordLevelTokenizer.TrainCharacters(lines);
            var vocab = Path.Combine(folder, "vocab.json");
            var merges = Path.Combine(folder, "merges.txt");
            bpe.SaveGpt2Files(vocab, merges);
            var libraryBpe = Lib.BpeTokenizer.Create(new Lib.BpeOptions(vocab, merges)
            {
                ByteLevel = true,
                PreTokenizer = new Lib.RegexPreTokenizer(
                    new Regex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled), null),
            });
            var wordPieceVocab = Path.Combine(folder, "vocab.txt");
            File.WriteAllLines(wordPieceVocab, new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }
                .Concat(words.Vocab.Keys.Where(w => !w.StartsWith('<')))
                .Concat(text.Distinct().Where(c => !char.IsWhiteSpace(c) && !char.IsSurrogate(c)).SelectMany(c => new[] { c.ToString(), "##" + c }))
                .Distinct(StringComparer.Ordinal));
            TextTokenizer Tiktoken(string encoding) => TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.Tiktoken, Encoding = encoding });
            var kinds = new (string Name, Func<string, int> Encode)[]
            {
                ("ours: byte-level BPE 8k", s => bpe.Encode(s).Length),
                ("ours: word", s => words.Encode(s).Length),
                ("ours: char", s => chars.Encode(s).Length),
                ("library: tiktoken gpt2", Count(Tiktoken("gpt2").Tokenizer)),
                ("library: tiktoken cl100k_base", Count(Tiktoken("cl100k_base").Tokenizer)),
                ("library: tiktoken o200k_base", Count(Tiktoken("o200k_base").Tokenizer)),
                ("library: BpeTokenizer (our vocab + merges)", Count(libraryBpe)),
                ("library: WordPiece (derived vocab.txt)", Count(TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.WordPiece, Path = wordPieceVocab, Lowercase = true }).Tokenizer)),
            };
            // Rounds alternate the kinds (A B C … A B C …), so load that comes and goes on a shared machine falls on
            // every kind alike; each figure is the median of its rounds.
            var tokens = kinds.Select(k => lines.Sum(l => (long)k.Encode(l))).ToArray();     // first pass: caches fill
            var one = kinds.Select(_ => new List<(double Wall, double Cpu)>()).ToArray();
            var all = kinds.Select(_ => new List<double>()).ToArray();
            for (var round = 0; round < Rounds; round++)
                for (var k = 0; k < kinds.Length; k++)
                {
                    var encode = kinds[k].Encode;
                    one[k].Add(Seconds(() => { foreach (var l in lines) encode(l); }));
                    all[k].Add(Seconds(() =>
                        Parallel.ForEach(Partitioner.Create(0, paragraphs.Count, 4), r => { for (var i = r.Item1; i < r.Item2; i++) encode(paragraphs[i]); })).Wall);
                }
            var rows = new List<Row>();
            for (var k = 0; k < kinds.Length; k++)
            {
                var (wall, cpu, parallel) = (Median(one[k].Select(p => p.Wall)), Median(one[k].Select(p => p.Cpu)), Median(all[k]));
                rows.Add(new Row(kinds[k].Name, mb / wall, mb / cpu, mb / parallel, mb * 1e6 / tokens[k]));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kinds[k].Name}: {mb / wall:F1} MB/s one thread ({mb / cpu:F1} per CPU-second), {mb / parallel:F1} MB/s on {Environment.ProcessorCount} threads, {mb * 1e6 / tokens[k]:F2} bytes/token"));
            }
            // Paired per round: our BPE's one-thread time against tiktoken gpt2's in the same round.
            OursOverTiktoken = Median(one[0].Zip(one[3], (ours, tiktoken) => tiktoken.Wall / ours.Wall));
            return rows;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Rounds over all kinds; each figure is the median of this many.</summary>
    public const int Rounds = 5;

    /// <summary>The last run's median, over rounds, of tiktoken gpt2's one-thread time over our byte-level BPE's.</summary>
    public static double OursOverTiktoken { get; private set; }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Func<string, int> Count(Lib.Tokenizer tokenizer) => s => tokenizer.EncodeToIds(s).Count;

    private static (double Wall, double Cpu) Seconds(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
