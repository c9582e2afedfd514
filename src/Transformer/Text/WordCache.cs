// A bounded, lock-free cache of word → ids: a table of immutable entries indexed by the word's hash,
// two slots per word (a new word takes a free one of its two, else replaces the first). Readers and
// writers race only by replacing whole entries, which is safe; the cache changes speed, never results.
namespace Transformer.Text;

internal sealed class WordCache
{
    /// <summary>Longer words are not cached (Hugging Face's limit).</summary>
    public const int MaxWordLength = 256;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    public WordCache(int capacity)
    {
        var size = (int)Math.Min(1 << 24, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 16)));
        _slots = new Entry?[size];
        _mask = size - 1;
    }

    public bool TryGet(ReadOnlySpan<char> word, out int[] ids)
    {
        var slot = string.GetHashCode(word) & _mask;
        var entry = Volatile.Read(ref _slots[slot]);
        if (entry is null || !word.SequenceEqual(entry.Word))
        {
            entry = Volatile.Read(ref _slots[(slot + 1) & _mask]);
            if (entry is null || !word.SequenceEqual(entry.Word))
            {
                ids = [];
                return false;
            }
        }
        ids = entry.Ids;
        return true;
    }

    public void Add(ReadOnlySpan<char> word, int[] ids)
    {
        if (word.Length > MaxWordLength) return;
        var slot = string.GetHashCode(word) & _mask;
        if (Volatile.Read(ref _slots[slot]) is not null && Volatile.Read(ref _slots[(slot + 1) & _mask]) is null)
            slot = (slot + 1) & _mask;
        Volatile.Write(ref _slots[slot], new Entry(word.ToString(), ids));
    }

    private sealed class Entry(string word, int[] ids)
    {
        public readonly string Word = word;
        public readonly int[] Ids = ids;
    }
}
