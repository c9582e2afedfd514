using Transformer.Training.Metrics;

namespace Transformer.Tests;

public class MetricEditDistanceTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("intention", "execution", 5)]
    [InlineData("saturday", "sunday", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("", "", 0)]
    [InlineData("same", "same", 0)]
    [InlineData("ab", "ba", 2)]
    public void Levenshtein_distance_of_textbook_pairs(string source, string target, int expected)
    {
        Assert.Equal(expected, EditDistance.Levenshtein<char>(source, target));
    }

    [Fact]
    public void Works_over_ids_and_words()
    {
        Assert.Equal(2, EditDistance.Levenshtein<int>([1, 2, 3, 4], [1, 3, 4, 5]));
        Assert.Equal(1, EditDistance.Levenshtein<string>(["the", "cat", "sat"], ["the", "cat", "sits"]));
    }

    [Fact]
    public void Long_sequences_use_the_heap_and_agree_with_the_full_table()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            int[] a = Enumerable.Range(0, random.Next(0, 400)).Select(_ => random.Next(4)).ToArray();
            int[] b = Enumerable.Range(0, random.Next(0, 400)).Select(_ => random.Next(4)).ToArray();
            int distance = EditDistance.Levenshtein<int>(a, b);
            Assert.Equal(FullTable(a, b), distance);
            Assert.Equal(distance, EditDistance.Levenshtein<int>(b, a));
        }
    }

    // The textbook (|a|+1)×(|b|+1) table, an independent check of the two-row version.
    private static int FullTable(int[] a, int[] b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }
}
