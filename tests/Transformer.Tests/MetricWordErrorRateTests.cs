using Transformer.Training.Metrics;

namespace Transformer.Tests;

public class MetricWordErrorRateTests
{
    [Theory]
    [InlineData("hello duck", "hello world", 0.5)] // jiwer's README example
    [InlineData("the cat sat", "the cat sat on the mat", 0.5)] // 3 deletions / 6
    [InlineData("the cat sat on the mat", "the cat sat on the mat", 0.0)]
    [InlineData("a b c d", "a", 3.0)] // 3 insertions / 1: WER is not capped at 1
    [InlineData("", "one two", 1.0)]
    [InlineData("  the\tcat  ", "the cat", 0.0)]
    public void Word_error_rate_of_one_sentence(string hypothesis, string reference, double expected)
    {
        Assert.Equal(expected, WordErrorRate.Score([hypothesis], [reference]).Rate, 1e-12);
    }

    [Fact]
    public void Edits_and_reference_words_are_summed_over_the_corpus()
    {
        // 1 substitution / 3 words, then 2 deletions / 2 words: 3 / 5, not the mean of 1/3 and 1.
        var score = WordErrorRate.Score(["a b c", ""], ["a x c", "d e"]);
        Assert.Equal(new WordErrorRateScore(0.6, 3, 5), score);
    }

    [Fact]
    public void Empty_corpus_or_empty_references_are_errors()
    {
        Assert.Equal("WER of an empty corpus is undefined: no sentence was added",
            Assert.Throws<InvalidOperationException>(() => new WordErrorRate().Result).Message);
        Assert.Equal("WER is undefined when the references hold no words (1 sentences, all references empty)",
            Assert.Throws<InvalidOperationException>(() => WordErrorRate.Score(["a"], [""])).Message);
    }
}
