// Encoding throughput of every tokenizer kind on the same text: ours (byte-level BPE, word, char) and
// Microsoft.ML.Tokenizers' (tiktoken gpt2/cl100k/o200k, its BpeTokenizer built from our BPE's vocab.json and
// merges.txt, WordPiece over a vocabulary derived from our word-level one). One thread: the corpus line by line,
// best of 2 warm passes after a first one, by wall clock and by process CPU time (on a shared machine the CPU
// figure is the steadier one); all threads: paragraphs in parallel, best of 2 warm passes by wall clock.
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
            var rows = new List<Row>();
            foreach (var (name, encode) in kinds)
            {
                var tokens = lines.Sum(l => (long)encode(l));                        // first pass: caches fill
                var passes = Enumerable.Range(0, 2).Select(_ => Seconds(() => { foreach (var l in lines) encode(l); })).ToList();
                var (one, oneCpu) = (passes.Min(p => p.Wall), passes.Min(p => p.Cpu));
                var all = Enumerable.Range(0, 2).Min(_ => Seconds(() =>
                    Parallel.ForEach(Partitioner.Create(0, paragraphs.Count, 4), r => { for (var i = r.Item1; i < r.Item2; i++) encode(paragraphs[i]); })).Wall);
                rows.Add(new Row(name, mb / one, mb / oneCpu, mb / all, mb * 1e6 / tokens));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {mb / one:F1} MB/s one thread ({mb / oneCpu:F1} per CPU-second), {mb / all:F1} MB/s on {Environment.ProcessorCount} threads, {mb * 1e6 / tokens:F2} bytes/token"));
            }
            return rows;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
