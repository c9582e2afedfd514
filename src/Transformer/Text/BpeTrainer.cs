// Learns BPE merges from word counts. Words are distinct (word, frequency) pairs; the count of an adjacent
// symbol pair is the sum over words of frequency × occurrences. A priority queue orders pairs by count
// (highest first) and then by (left id, right id) (smallest first). Merging a pair touches only the words
// that contain it (each pair keeps the list of words it occurs in), whose neighbouring pair counts are
// updated incrementally; queue entries whose count went down are recognized when they come out and put
// back with the current count, and pairs whose count went up are pushed again after each merge.
using System.Runtime.InteropServices;
using System.Text;

namespace Transformer.Text;

internal static class BpeTrainer
{
    public static BpeTokenizer Train(IEnumerable<string> texts, BpeTrainerOptions options)
    {
        options.Validate();
        var special = TrainerChecks.AsAddedTokens(options.SpecialTokens);
        var pipeline = BpeTokenizer.ByteLevelPipeline(special, options.AddPrefixSpace);
        var counts = WordCounter.Count(texts, pipeline, options.MaxDegreeOfParallelism);
        var (vocab, merges) = Learn(counts, options.SpecialTokens, ByteLevelAlphabet.Characters, options.VocabSize, options.MinFrequency);
        return new BpeTokenizer(pipeline, new BpeModel(vocab, merges, new BpeOptions()));
    }

    private sealed class PairStats
    {
        public long Count;
        public readonly List<int> Words = new(2);   // may hold words that no longer contain the pair
    }

    private sealed class Priority : IComparer<(long Count, long Pair)>
    {
        public static readonly Priority Instance = new();

        public int Compare((long Count, long Pair) x, (long Count, long Pair) y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair);
    }

    /// <summary>
    /// The vocabulary (special tokens, then the alphabet and every other character of the words in code
    /// point order, then merged tokens) and the merges, learned from word frequencies.
    /// </summary>
    public static (Dictionary<string, int> Vocab, List<(string, string)> Merges) Learn(
        IReadOnlyDictionary<string, long> wordCounts,
        IEnumerable<string> specialTokens,
        IEnumerable<string> alphabet,
        int vocabSize,
        long minFrequency)
    {
        var tokens = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int AddToken(string token)
        {
            if (ids.TryGetValue(token, out var existing)) return existing;
            ids[token] = tokens.Count;
            tokens.Add(token);
            return tokens.Count - 1;
        }
        foreach (var token in specialTokens) AddToken(token);

        var words = wordCounts.Keys.Where(w => w.Length > 0).Order(StringComparer.Ordinal).ToArray();
        var characters = new SortedSet<int>(alphabet.Select(c => char.ConvertToUtf32(c, 0)));
        foreach (var word in words)
            foreach (var rune in word.EnumerateRunes()) characters.Add(rune.Value);
        foreach (var c in characters) AddToken(char.ConvertFromUtf32(c));

        var symbols = new int[words.Length][];
        var lengths = new int[words.Length];
        var frequencies = new long[words.Length];
        for (var w = 0; w < words.Length; w++)
        {
            symbols[w] = words[w].EnumerateRunes().Select(r => ids[r.ToString()]).ToArray();
            lengths[w] = symbols[w].Length;
            frequencies[w] = wordCounts[words[w]];
        }

        var stats = new Dictionary<long, PairStats>();
        var touched = new HashSet<long>();
        void Change(long pair, long delta, int word)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(stats, pair, out _);
            entry ??= new PairStats();
            entry.Count += delta;
            if (delta <= 0) return;
            touched.Add(pair);
            if (entry.Words.Count == 0 || entry.Words[^1] != word) entry.Words.Add(word);
        }
        for (var w = 0; w < words.Length; w++)
            for (var i = 0; i + 1 < lengths[w]; i++)
                Change(Key(symbols[w][i], symbols[w][i + 1]), frequencies[w], w);

        var queue = new PriorityQueue<long, (long Count, long Pair)>(Priority.Instance);
        foreach (var (pair, entry) in stats) queue.Enqueue(pair, (entry.Count, pair));

        var merges = new List<(string, string)>();
        var visited = new int[words.Length];
        var step = 0;
        while (tokens.Count < vocabSize && queue.TryDequeue(out var best, out var priority))
        {
            var current = stats.GetValueOrDefault(best);
            if (current is null || current.Count != priority.Count)
            {
                // A count that went down is queued again; one that went up is already queued anew.
                if (current is not null && current.Count > 0 && current.Count < priority.Count)
                    queue.Enqueue(best, (current.Count, best));
                continue;
            }
            if (current.Count < minFrequency) break;

            int left = (int)(best >> 32), right = (int)best;
            var merged = AddToken(tokens[left] + tokens[right]);
            merges.Add((tokens[left], tokens[right]));
            step++;
            touched.Clear();
            foreach (var w in current.Words)
            {
                if (visited[w] == step) continue;
                visited[w] = step;
                var word = symbols[w];
                var length = lengths[w];
                var frequency = frequencies[w];
                for (var i = 0; i + 1 < length; i++)
                {
                    if (word[i] != left || word[i + 1] != right) continue;
                    if (i > 0)
                    {
                        Change(Key(word[i - 1], left), -frequency, w);
                        Change(Key(word[i - 1], merged), frequency, w);
                    }
                    if (i + 2 < length)
                    {
                        Change(Key(right, word[i + 2]), -frequency, w);
                        Change(Key(merged, word[i + 2]), frequency, w);
                    }
                    word[i] = merged;
                    Array.Copy(word, i + 2, word, i + 1, length - i - 2);
                    length--;
                }
                lengths[w] = length;
            }
            stats.Remove(best);
            foreach (var pair in touched)
                if (stats[pair].Count > 0) queue.Enqueue(pair, (stats[pair].Count, pair));
        }

        var vocab = new Dictionary<string, int>(ids, StringComparer.Ordinal);
        return (vocab, merges);
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Spells <paramref name="text"/>'s UTF-8 bytes in the byte-level alphabet (for tests and tools).</summary>
    internal static string ByteLevel(string text) =>
        new(Encoding.UTF8.GetBytes(text).Select(b => ByteLevelAlphabet.ByteToChar[b]).ToArray());
}
