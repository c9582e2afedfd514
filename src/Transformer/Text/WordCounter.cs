// Counts the words a pipeline cuts texts into (added tokens skipped), in parallel; the counts do not
// depend on the order or the number of threads.
using System.Runtime.InteropServices;

namespace Transformer.Text;

internal static class WordCounter
{
    public static Dictionary<string, long> Count(IEnumerable<string> texts, TokenizerPipeline pipeline, int maxDegreeOfParallelism)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var gate = new object();
        Parallel.ForEach(
            texts,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new CountingSink(),
            (text, _, sink) =>
            {
                pipeline.Split(text, sink, tokenIds: null);
                return sink;
            },
            sink =>
            {
                lock (gate)
                {
                    foreach (var (word, count) in sink.Counts)
                        CollectionsMarshal.GetValueRefOrAddDefault(total, word, out _) += count;
                }
            });
        return total;
    }

    private sealed class CountingSink : PieceSink
    {
        private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public CountingSink() => _lookup = Counts.GetAlternateLookup<ReadOnlySpan<char>>();

        public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

        public override void Add(ReadOnlySpan<char> piece) =>
            CollectionsMarshal.GetValueRefOrAddDefault(_lookup, piece, out _)++;
    }
}
