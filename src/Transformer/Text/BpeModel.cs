// Byte-pair encoding of one word: the word's characters become symbols (with the continuing-subword
// prefix / end-of-word suffix where set; unknown characters become their "<0xXX>" byte tokens with
// byte_fallback, else the unk token, fused when fuse_unk, else nothing), then the adjacent pair with the
// lowest merge rank is merged, leftmost first, until no pair has a merge. Encodings of words are cached.
using System.Buffers;
using System.Text;

namespace Transformer.Text;

internal sealed class BpeModel : TokenizerModel
{
    private const long NoMerge = long.MaxValue;

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabLookup;
    private readonly Dictionary<int, string> _tokens = new();
    private readonly Dictionary<long, long> _mergeMap;   // (left << 32 | right) → (rank << 32 | merged id)
    private readonly int[] _charIds = new int[0x10000];  // one-character tokens, when no prefix/suffix is set
    private readonly int[] _byteIds = new int[256];      // "<0xXX>" tokens for byte fallback, or -1
    private readonly bool _simple;
    private readonly int _unkId = -1;
    private readonly WordCache? _cache;

    /// <param name="mergeError">Makes the exception for a bad merge, given its index and the problem.</param>
    public BpeModel(
        Dictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        BpeOptions options,
        Func<int, string, Exception>? mergeError = null)
    {
        mergeError ??= (i, problem) => new ArgumentException($"merge {i}: {problem}", nameof(merges));
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _vocabLookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        Merges = merges.ToArray().AsReadOnly();
        Vocab = _vocab.AsReadOnly();
        Options = options;
        foreach (var (token, id) in _vocab)
        {
            if (!_tokens.TryAdd(id, token))
                throw new ArgumentException($"id {id} is given to both \"{_tokens[id]}\" and \"{token}\"", nameof(vocab));
            MaxId = Math.Max(MaxId, id);
        }

        _mergeMap = new Dictionary<long, long>(Merges.Count);
        for (var rank = 0; rank < Merges.Count; rank++)
        {
            var (left, right) = Merges[rank];
            if (!_vocab.TryGetValue(left, out var a)) throw mergeError(rank, $"unknown token {TokenizerJsonNode.Quote(left)}");
            if (!_vocab.TryGetValue(right, out var b)) throw mergeError(rank, $"unknown token {TokenizerJsonNode.Quote(right)}");
            if (!_vocab.TryGetValue(left + right, out var merged))
                throw mergeError(rank, $"the merged token {TokenizerJsonNode.Quote(left + right)} is not in the vocabulary");
            if (!_mergeMap.TryAdd(Key(a, b), ((long)rank << 32) | (uint)merged))
                throw mergeError(rank, $"duplicate merge {TokenizerJsonNode.Quote(left)} {TokenizerJsonNode.Quote(right)}");
        }

        _simple = string.IsNullOrEmpty(options.ContinuingSubwordPrefix) && string.IsNullOrEmpty(options.EndOfWordSuffix);
        Array.Fill(_charIds, -1);
        foreach (var (token, id) in _vocab)
            if (token.Length == 1 && !char.IsSurrogate(token[0])) _charIds[token[0]] = id;
        for (var b = 0; b < 256; b++) _byteIds[b] = _vocab.GetValueOrDefault($"<0x{b:X2}>", -1);
        if (options.UnkToken is { } unk)
            _unkId = _vocab.TryGetValue(unk, out var id) ? id : throw new ArgumentException($"unk token \"{unk}\" is not in the vocabulary", nameof(options));
        if (options.CacheCapacity > 0) _cache = new WordCache(options.CacheCapacity);
    }

    public IReadOnlyList<(string Left, string Right)> Merges { get; }
    public BpeOptions Options { get; }
    public IReadOnlyDictionary<string, int> Vocab { get; }
    public override int MaxId { get; } = -1;
    public override int Count => _vocab.Count;
    public override string? UnkToken => Options.UnkToken;

    /// <summary>Words with more symbols than this are merged with a heap (n log n) instead of by scanning.</summary>
    internal int HeapThreshold { get; init; } = 48;

    public override int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _tokens.GetValueOrDefault(id);

    public override void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (word.IsEmpty) return;
        if (_cache is not null && _cache.TryGet(word, out var cached))
        {
            if (cached.Length == 1) ids.Add(cached[0]);
            else ids.AddRange(cached.AsSpan());
            return;
        }
        var capacity = Options.ByteFallback ? 3 * word.Length : word.Length;
        int[]? rented = null;
        var symbols = capacity <= 128 ? stackalloc int[capacity] : (rented = ArrayPool<int>.Shared.Rent(capacity));
        int n;
        if (Options.IgnoreMerges && _vocabLookup.TryGetValue(word, out var whole))
        {
            symbols[0] = whole;
            n = 1;
        }
        else
        {
            n = InitialSymbols(word, symbols);
            n = n > HeapThreshold ? MergeWithHeap(symbols[..n]) : MergeByScanning(symbols[..n]);
        }
        ids.AddRange(symbols[..n]);
        _cache?.Add(word, symbols[..n].ToArray());
        if (rented is not null) ArrayPool<int>.Shared.Return(rented);
    }

    private int InitialSymbols(ReadOnlySpan<char> word, Span<int> symbols)
    {
        var n = 0;
        var lastUnk = false;
        for (var i = 0; i < word.Length;)
        {
            var width = CharClass.WidthAt(word, i);
            var id = _simple && width == 1 ? _charIds[word[i]] : LookupSymbol(word, i, width);
            if (id >= 0)
            {
                symbols[n++] = id;
                lastUnk = false;
            }
            else if (Options.ByteFallback && TryByteFallback(word.Slice(i, width), symbols, ref n)) lastUnk = false;
            else if (_unkId >= 0)
            {
                if (!(Options.FuseUnk && lastUnk)) symbols[n++] = _unkId;
                lastUnk = true;
            }
            i += width;
        }
        return n;
    }

    private int LookupSymbol(ReadOnlySpan<char> word, int i, int width)
    {
        var prefix = i > 0 ? Options.ContinuingSubwordPrefix.AsSpan() : default;
        var suffix = i + width == word.Length ? Options.EndOfWordSuffix.AsSpan() : default;
        var length = prefix.Length + width + suffix.Length;
        var buffer = length <= 64 ? stackalloc char[64] : new char[length];
        prefix.CopyTo(buffer);
        word.Slice(i, width).CopyTo(buffer[prefix.Length..]);
        suffix.CopyTo(buffer[(prefix.Length + width)..]);
        return _vocabLookup.TryGetValue(buffer[..length], out var id) ? id : -1;
    }

    private bool TryByteFallback(ReadOnlySpan<char> character, Span<int> symbols, ref int n)
    {
        Span<byte> bytes = stackalloc byte[4];
        var count = Encoding.UTF8.GetBytes(character, bytes);
        for (var k = 0; k < count; k++)
            if (_byteIds[bytes[k]] < 0) return false;
        for (var k = 0; k < count; k++) symbols[n++] = _byteIds[bytes[k]];
        return true;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private long Lookup(int left, int right) => _mergeMap.TryGetValue(Key(left, right), out var v) ? v : NoMerge;

    // Short words: keep each adjacent pair's (rank, merged id) and scan for the smallest; ranks are unique
    // per pair, so the first smallest is the leftmost occurrence of the best pair.
    private int MergeByScanning(Span<int> symbols)
    {
        var n = symbols.Length;
        if (n < 2) return n;
        var pairs = n <= 256 ? stackalloc long[n] : new long[n];
        for (var i = 0; i < n - 1; i++) pairs[i] = Lookup(symbols[i], symbols[i + 1]);
        while (n > 1)
        {
            var best = -1;
            var bestValue = NoMerge;
            for (var i = 0; i < n - 1; i++)
            {
                if (pairs[i] < bestValue)
                {
                    bestValue = pairs[i];
                    best = i;
                }
            }
            if (best < 0) break;
            symbols[best] = (int)bestValue;
            symbols[(best + 2)..n].CopyTo(symbols[(best + 1)..]);
            if (best + 2 < n - 1) pairs[(best + 2)..(n - 1)].CopyTo(pairs[(best + 1)..]);
            n--;
            if (best > 0) pairs[best - 1] = Lookup(symbols[best - 1], symbols[best]);
            if (best < n - 1) pairs[best] = Lookup(symbols[best], symbols[best + 1]);
        }
        return n;
    }

    // Long words: a priority queue of (rank, position) over a linked list of symbols; stale entries are
    // recognized on the way out. Same result as scanning.
    private int MergeWithHeap(Span<int> word)
    {
        var n = word.Length;
        var symbols = word.ToArray();
        var next = new int[n];
        var previous = new int[n];
        var removed = new bool[n];
        var queue = new PriorityQueue<int, long>();
        for (var i = 0; i < n; i++)
        {
            next[i] = i + 1;
            previous[i] = i - 1;
        }
        void Push(int at)
        {
            var v = Lookup(symbols[at], symbols[next[at]]);
            if (v != NoMerge) queue.Enqueue(at, (v >> 32 << 32) | (uint)at);
        }
        for (var i = 0; i < n - 1; i++) Push(i);
        while (queue.TryDequeue(out var at, out var priority))
        {
            var right = next[at];
            if (removed[at] || right >= n) continue;
            var v = Lookup(symbols[at], symbols[right]);
            if (v == NoMerge || v >> 32 != priority >> 32) continue;
            symbols[at] = (int)v;
            removed[right] = true;
            next[at] = next[right];
            if (next[at] < n) previous[next[at]] = at;
            if (previous[at] >= 0) Push(previous[at]);
            if (next[at] < n) Push(at);
        }
        var count = 0;
        for (var i = 0; i < n; i++)
            if (!removed[i]) word[count++] = symbols[i];
        return count;
    }

    public override void Write(TokenizerJsonWriter json)
    {
        json.StartObject()
            .Property("type", "BPE")
            .Key("dropout").Null()
            .Property("unk_token", Options.UnkToken)
            .Property("continuing_subword_prefix", Options.ContinuingSubwordPrefix)
            .Property("end_of_word_suffix", Options.EndOfWordSuffix)
            .Property("fuse_unk", Options.FuseUnk)
            .Property("byte_fallback", Options.ByteFallback)
            .Property("ignore_merges", Options.IgnoreMerges);
        WriteVocab(json, _vocab);
        // "a b" strings unless read as arrays or a token has a space (which the string form cannot hold).
        var arrays = Options.MergesAsArrays || Merges.Any(m => m.Left.Contains(' ') || m.Right.Contains(' '));
        json.Key("merges").StartArray();
        foreach (var (left, right) in Merges)
        {
            if (arrays) json.StartArray().String(left).String(right).EndArray();
            else json.String($"{left} {right}");
        }
        json.EndArray().EndObject();
    }
}
