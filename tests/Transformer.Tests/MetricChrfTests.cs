using Transformer.Training.Metrics;

namespace Transformer.Tests;

// Published fixtures: the Hugging Face chrF metric card (values computed by sacreBLEU with its defaults)
// and sacreBLEU 2.x's test/test_chrf.py (mjpost/sacrebleu), whose tolerance of 1e-4 is kept for its cases.
public class MetricChrfTests
{
    [Fact]
    public void Single_sentence_matches_the_published_chrf()
    {
        var score = CorpusChrf.Score(
            ["The relationship between Obama and Netanyahu is not exactly friendly."],
            ["The ties between Obama and Netanyahu are not particularly friendly."]);
        Assert.Equal(61.576379378113785, score.Score, 1e-9);
    }

    [Fact]
    public void Two_sentence_corpus_matches_the_published_chrf()
    {
        var score = CorpusChrf.Score(
            ["The relationship between cats and dogs is not exactly friendly.",
             "a good bookshop is just a genteel black hole that knows how to read."],
            ["The relationship between dogs and cats is not exactly friendly.",
             "A good bookshop is just a genteel Black Hole that knows how to read."]);
        Assert.Equal(84.64214891738334, score.Score, 1e-9);
    }

    public static TheoryData<string[], string[], double> EffectiveOrderBeta3 => new()
    {
        { ["a"], ["a"], 100.0 },
        { [""], ["reference"], 0.0 },
        { ["a b c"], ["a b c"], 100.0 },
        { ["a b c"], ["abc"], 100.0 },
        { [""], ["c"], 0.0 },
        { ["a", "b"], ["a", "c"], 50.0 },
        { ["aa"], ["ab"], 25.0 },
    };

    [Theory]
    [MemberData(nameof(EffectiveOrderBeta3))]
    public void Default_averaging_matches_sacrebleu_tests(string[] hypotheses, string[] references, double expected)
    {
        Assert.Equal(expected, CorpusChrf.Score(hypotheses, references, new ChrfOptions { Beta = 3 }).Score, 1e-4);
    }

    public static TheoryData<string[], string[], double> EpsilonSmoothingBeta3 => new()
    {
        { ["abcdefg"], ["hijklmnop"], 0.0 },
        { ["a"], ["b"], 0.0 },
        { [""], ["b"], 0.0 },
        { [""], ["ref"], 0.0 },
        { [""], ["reference"], 0.0 },
        { ["aa"], ["ab"], 8.3333 },
        { ["a", "b"], ["a", "c"], 8.3333 },
        { ["a"], ["a"], 16.6667 },
        { ["a b c"], ["a b c"], 50.0 },
        { ["a b c"], ["abc"], 50.0 },
        { [" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
          ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."], 63.361730 },
        { [" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
          ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 64.1302698 },
        { ["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0 },
    };

    [Theory]
    [MemberData(nameof(EpsilonSmoothingBeta3))]
    public void Epsilon_smoothing_matches_sacrebleu_tests(string[] hypotheses, string[] references, double expected)
    {
        var options = new ChrfOptions { Beta = 3, EpsilonSmoothing = true };
        Assert.Equal(expected, CorpusChrf.Score(hypotheses, references, options).Score, 1e-4);
    }

    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void Keeping_whitespace_matches_sacrebleu_tests(string hypothesis, string reference, double expected)
    {
        var options = new ChrfOptions { Beta = 3, IncludeWhitespace = true };
        Assert.Equal(expected, CorpusChrf.Score([hypothesis], [reference], options).Score, 1e-4);
    }

    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void Sentence_level_epsilon_smoothing_matches_sacrebleu_tests(string hypothesis, string reference, double expected)
    {
        var options = new ChrfOptions { EpsilonSmoothing = true };
        Assert.Equal(expected, CorpusChrf.Score([hypothesis], [reference], options).Score, 1e-4);
    }

    [Fact]
    public void Orders_the_reference_is_too_short_for_do_not_count()
    {
        // hyp "ab", ref "abc": 1-grams P 2/2 R 2/3; 2-grams P 1/1 R 1/2; the 3-gram "abc" has no
        // hypothesis counterpart, orders 4–6 exist on neither side: averages P = 1, R = 7/12 over 2 orders.
        // F2 = 5·P·R / (4P + R) = (35/12) / (55/12) = 7/11.
        var score = CorpusChrf.Score(["ab"], ["abc"]);
        Assert.Equal(100.0 * 7 / 11, score.Score, 1e-12);
        Assert.Equal([2L, 1, 0, 0, 0, 0], score.HypothesisNGrams);
        Assert.Equal([3L, 2, 1, 0, 0, 0], score.ReferenceNGrams);
        Assert.Equal([2L, 1, 0, 0, 0, 0], score.Matches);
    }

    [Fact]
    public void Characters_are_code_points_as_in_python()
    {
        // Two emoji swapped: 1-grams 2/2, 2-grams 0/1 → P = R = 1/2 → 50. Counted in UTF-16 units the
        // surrogate halves would share n-grams and give 41.67.
        var score = CorpusChrf.Score(["\U0001F600\U0001F603"], ["\U0001F603\U0001F600"]);
        Assert.Equal(50.0, score.Score, 1e-12);
        Assert.Equal([2L, 1, 0, 0, 0, 0], score.HypothesisNGrams);
    }

    [Fact]
    public void All_unicode_whitespace_is_removed()
    {
        Assert.Equal(100.0, CorpusChrf.Score(["a\u3000b\u001Fc d\u00A0e"], ["abcde"]).Score, 1e-12);
    }

    [Fact]
    public void The_best_reference_of_each_segment_is_used()
    {
        var references = new IReadOnlyList<string>[] { ["xyz", "", "abcdef"] };
        Assert.Equal(100.0, CorpusChrf.Score(["abcdef"], references).Score, 1e-12);
    }

    [Fact]
    public void An_empty_hypothesis_scores_zero_and_an_empty_corpus_is_an_error()
    {
        Assert.Equal(0.0, CorpusChrf.Score([""], ["reference"]).Score);
        Assert.Equal("chrF of an empty corpus is undefined: no hypothesis was added",
            Assert.Throws<InvalidOperationException>(() => new CorpusChrf().Result).Message);
        Assert.Equal("chrF: segment 0 has no non-empty reference (1 given)",
            Assert.Throws<ArgumentException>(() => CorpusChrf.Score(["a"], [""])).Message);
        Assert.Throws<ArgumentException>(() => new CorpusChrf(new ChrfOptions { CharOrder = 0 }));
    }
}
