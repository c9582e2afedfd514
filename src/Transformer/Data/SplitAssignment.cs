// Splits N examples into train/valid/test by seed: the example indices are shuffled (SplitMix64), the first
// round(N·valid) shuffled indices go to valid, the next round(N·test) to test, the rest to train. Each split
// keeps the examples' original relative order.
namespace Transformer.Data;

public static class SplitAssignment
{
    public const byte Train = 0, Valid = 1, Test = 2;

    /// <summary>For each example, Train, Valid or Test.</summary>
    public static byte[] Assign(long examples, double validFraction, double testFraction, long seed)
    {
        if (examples > Array.MaxLength) throw new NotSupportedException($"{examples} examples are more than one split can shuffle ({Array.MaxLength})");
        var n = (int)examples;
        var valid = (int)Math.Round(n * validFraction, MidpointRounding.AwayFromZero);
        var test = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
        if (valid + test >= n && valid + test > 0)
            throw new DataFormatException("data.train", $"{n} example(s)", $"enough examples to leave some for train after valid ({valid}) and test ({test})");
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        SplitMix64.For(seed, 0x5B117).Shuffle<int>(order);
        var result = new byte[n];
        for (var r = 0; r < valid + test; r++) result[order[r]] = r < valid ? Valid : Test;
        return result;
    }
}
