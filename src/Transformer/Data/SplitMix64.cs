// SplitMix64 (Steele, Lea, Flood 2014; the reference generator of Vigna's xoshiro page): a small PRNG with a
// fixed, documented algorithm, so shuffles are the same on every .NET version and machine, unlike
// System.Random whose algorithm is unspecified.
namespace Transformer.Data;

public sealed class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private ulong state;

    public SplitMix64(ulong seed) => state = seed;

    /// <summary>A generator for one purpose of one run: the same (seed, stream…) always gives the same numbers,
    /// and different streams (e.g. epochs) give unrelated ones.</summary>
    public static SplitMix64 For(long seed, params long[] stream)
    {
        var s = Mix(unchecked((ulong)seed));
        foreach (var part in stream) s = Mix(s ^ Mix(unchecked((ulong)part + Gamma)));
        return new SplitMix64(s);
    }

    public ulong NextUInt64()
    {
        state = unchecked(state + Gamma);
        return Mix(state);
    }

    /// <summary>Uniform in [0, bound), without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound == 0) throw new ArgumentOutOfRangeException(nameof(bound), "the bound must be positive");
        var threshold = unchecked(0 - bound) % bound;       // 2^64 mod bound
        while (true)
        {
            var high = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold) return high;
        }
    }

    /// <summary>Fisher–Yates, from the last element down.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)NextBelow((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The SplitMix64 output function (a variant of MurmurHash3's finalizer).</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
        return z ^ (z >> 31);
    }
}
