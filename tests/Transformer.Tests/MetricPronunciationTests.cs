using Transformer.Training.Metrics;

namespace Transformer.Tests;

public class MetricPronunciationTests
{
    [Fact]
    public void Word_and_phoneme_error_rates_use_the_closest_reference()
    {
        var rates = new PronunciationErrorRates();
        rates.Add("K AE1 T", ["K AE1 T"]);                                  // cat: exact, 0 edits / 3
        rates.Add("T AH0 M AA1 T OW0", ["T AH0 M EY1 T OW2", "T AH0 M AA1 T OW2"]); // tomato: 2 vs 1 → 1 / 6
        rates.Add("R IH1 D", ["R IY1 D", "R EH1 D"]);                       // read: 1 vs 1, same length → 1 / 3
        rates.Add("AH B C", ["AH B C D", "AH B"]);                          // 1 vs 1, shorter wins → 1 / 2
        Assert.Equal(new PronunciationScore(3.0 / 4, 3.0 / 14, 4, 3, 3, 14), rates.Result);
    }

    [Theory]
    [InlineData("AH B C", new[] { "AH B C D", "AH B" }, 1, 1, 2)]
    [InlineData("R IH1 D", new[] { "R IY1 D", "R EH1 D" }, 0, 1, 3)]
    [InlineData("", new[] { "A B C", "A B" }, 1, 2, 2)]
    [InlineData("X Y", new[] { "X Y", "X" }, 0, 0, 2)]
    public void Closest_is_smallest_distance_then_shortest_then_first(string hypothesis, string[] references,
        int index, int distance, int length)
    {
        var split = references.Select(r => (IReadOnlyList<string>)PythonText.Split(r)).ToArray();
        Assert.Equal((index, distance, length), PronunciationErrorRates.ClosestReference(PythonText.Split(hypothesis), split));
    }

    [Fact]
    public void All_correct_scores_zero_and_insertions_can_exceed_one()
    {
        Assert.Equal(new PronunciationScore(0, 0, 1, 0, 0, 2), PronunciationErrorRates.Score(
            [["HH", "AY1"]], [[["HH", "AY1"]]]));
        Assert.Equal(3.0, PronunciationErrorRates.Score([["A", "B", "C", "D"]], [[["A"]]]).PhonemeErrorRate);
    }

    [Fact]
    public void Missing_or_empty_references_and_empty_sets_are_errors()
    {
        var rates = new PronunciationErrorRates();
        Assert.Equal("word 0 has no reference pronunciation",
            Assert.Throws<ArgumentException>(() => rates.Add("A", Array.Empty<string>())).Message);
        Assert.Equal("word 0: reference pronunciation 1 is empty",
            Assert.Throws<ArgumentException>(() => rates.Add("A", ["A", " "])).Message);
        Assert.Equal("WER/PER of an empty set is undefined: no word was added",
            Assert.Throws<InvalidOperationException>(() => rates.Result).Message);
    }
}
