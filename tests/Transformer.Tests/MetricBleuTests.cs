using Transformer.Training.Metrics;

namespace Transformer.Tests;

// Published fixtures come from sacreBLEU 2.x's own test suite (mjpost/sacrebleu): test/test_bleu.py
// (corpus scores, max n-gram order, statistics, scoring from statistics) and test/test_sentence_bleu.py
// (issue #98 example). Hand-computed cases show their n-gram counts.
public class MetricBleuTests
{
    // test_bleu.py's README example: two reference streams, transposed here to references per hypothesis.
    private static readonly string[] Hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    private static readonly IReadOnlyList<string>[] References =
    [
        ["The dog bit the man.", "The dog had bit the man."],
        ["It was not unexpected.", "No one was surprised."],
        ["The man bit him first.", "The man had bitten the dog."],
    ];

    [Fact]
    public void Corpus_bleu_matches_the_sacrebleu_test_suite()
    {
        Assert.Equal(48.530827, CorpusBleu.Score(Hypotheses, References).Score, 1e-8);
    }

    [Theory]
    [InlineData(1, "77.65")]
    [InlineData(2, "60.50")]
    [InlineData(3, "53.93")]
    [InlineData(4, "48.53")]
    [InlineData(5, "46.14")]
    [InlineData(6, "43.28")]
    public void The_max_ngram_order_changes_the_score_as_in_sacrebleu(int order, string expected)
    {
        Assert.Equal(expected, CorpusBleu.Score(Hypotheses, References, order).Score.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Empty_hypotheses_score_zero_and_are_not_dropped()
    {
        var score = CorpusBleu.Score(["", "", ""], References);
        Assert.Equal(0.0, score.Score);
        Assert.Equal((0, 17), (score.HypothesisLength, score.ReferenceLength));
    }

    [Fact]
    public void Ngram_statistics_match_the_sacrebleu_test_suite()
    {
        var score = CorpusBleu.Score(["am I am a character sequence"], ["I am a symbol string sequence a a"]);
        Assert.Equal([4L, 2, 1, 0], score.Matches);
        Assert.Equal([6L, 5, 4, 3], score.Totals);
    }

    [Fact]
    public void Scoring_from_statistics_matches_the_sacrebleu_test_suite()
    {
        Assert.Equal(0.8375922397, BleuScore.FromStatistics([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).Score / 100, 1e-8);
    }

    [Fact]
    public void Issue_98_sentence_matches_the_sacrebleu_test_suite()
    {
        // 14 hypothesis tokens against 10: every order has n-grams, so effective order changes nothing.
        var score = CorpusBleu.Score(
            ["Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"],
            ["producţia de zahăr brut se exprimă în zahăr alb;"]);
        Assert.Equal(8.493, score.Score, 1e-3);
    }

    [Fact]
    public void A_missing_four_gram_match_is_smoothed_by_half_its_count()
    {
        // hyp: the cat sat on the mat   ref: the cat is on the mat
        // 1-grams 5/6 (the×2 cat on mat), 2-grams 3/5 (the cat, on the, the mat), 3-grams 1/4 (on the mat),
        // 4-grams 0/3 → 'exp' smoothing 1/(2·3); c = r = 6 so BP = 1.
        var score = CorpusBleu.Score(["the cat sat on the mat"], ["the cat is on the mat"]);
        Assert.Equal([5L, 3, 1, 0], score.Matches);
        Assert.Equal(100 * Math.Pow(5.0 / 6 * 3 / 5 * 1 / 4 * 1 / 6, 0.25), score.Score, 1e-12);
    }

    [Fact]
    public void A_short_hypothesis_pays_the_brevity_penalty()
    {
        // All four precisions are 1 (4/4, 3/3, 2/2, 1/1); c = 4, r = 6: BP = exp(1 − 6/4).
        var score = CorpusBleu.Score(["the cat sat on"], ["the cat sat on the mat"]);
        Assert.Equal(Math.Exp(-0.5), score.BrevityPenalty, 1e-15);
        Assert.Equal(100 * Math.Exp(-0.5), score.Score, 1e-12);
    }

    [Fact]
    public void A_corpus_without_four_grams_scores_zero()
    {
        // 2/2 unigrams and 1/1 bigrams match but no hypothesis has 3 tokens: without effective order, 0.
        Assert.Equal(0.0, CorpusBleu.Score(["the cat"], ["the cat sat on the mat"]).Score);
    }

    [Fact]
    public void Counts_are_clipped_by_the_most_any_one_reference_holds()
    {
        // hyp: the the the the; refs: "the cat" (the×1), "the the mat" (the×2, "the the"×1).
        // 1-grams min(4, 2) = 2/4, 2-grams 1/3, 3-grams 0/2 → 1/(2·2), 4-grams 0/1 → 1/(4·1).
        // Lengths: hyp 4, closest reference 3 → BP = 1.
        var score = CorpusBleu.Score(["the the the the"], [(IReadOnlyList<string>)["the cat", "the the mat"]]);
        Assert.Equal([2L, 1, 0, 0], score.Matches);
        Assert.Equal(3, score.ReferenceLength);
        Assert.Equal(100 * Math.Pow(1.0 / 2 * 1 / 3 * 1 / 4 * 1 / 4, 0.25), score.Score, 1e-12);
    }

    [Theory]
    [InlineData(4, new[] { 3, 5 }, 3)]
    [InlineData(4, new[] { 5, 3 }, 3)]
    [InlineData(4, new[] { 9, 5, 2 }, 5)]
    [InlineData(0, new[] { 2, 1 }, 1)]
    [InlineData(7, new[] { 7 }, 7)]
    public void The_closest_reference_length_prefers_the_shorter_of_a_tie(int hypothesis, int[] references, int expected)
    {
        Assert.Equal(expected, CorpusBleu.ClosestReferenceLength(hypothesis, references));
    }

    [Fact]
    public void Identical_sentences_score_one_hundred_whatever_the_script()
    {
        Assert.Equal(100.0, CorpusBleu.Score(["naïve café über straße, 東京は晴れ。 ok"], ["naïve café über straße, 東京は晴れ。 ok"]).Score, 1e-12);
    }

    [Fact]
    public void Statistics_are_summed_over_the_corpus_before_scoring()
    {
        var bleu = new CorpusBleu();
        bleu.Add("the cat sat on the mat", "the cat is on the mat");
        bleu.Add("a dog ran in the park today", "a dog ran in a park today");
        var whole = CorpusBleu.Score(["the cat sat on the mat", "a dog ran in the park today"], ["the cat is on the mat", "a dog ran in a park today"]);
        Assert.Equal(whole.Matches, bleu.Result.Matches);
        Assert.Equal(whole.Score, bleu.Result.Score);
        // 1-grams 5+6 / 6+7, 2-grams 3+4 / 5+6, 3-grams 1+2 / 4+5, 4-grams 0+1 / 3+4; c = r = 13.
        Assert.Equal(100 * Math.Pow(11.0 / 13 * 7 / 11 * 3 / 9 * 1 / 7, 0.25), whole.Score, 1e-12);
    }

    [Fact]
    public void Empty_references_are_ignored_but_one_is_required()
    {
        Assert.Equal(100.0, CorpusBleu.Score(["a b c d"], [(IReadOnlyList<string>)["", "a b c d"]]).Score, 1e-12);
        var error = Assert.Throws<ArgumentException>(() => CorpusBleu.Score(["a", "b"], [(IReadOnlyList<string>)["a"], ["", ""]]));
        Assert.Equal("BLEU: segment 1 has no non-empty reference (2 given)", error.Message);
    }

    [Fact]
    public void An_empty_or_misaligned_corpus_is_an_error()
    {
        Assert.Equal("BLEU of an empty corpus is undefined: no hypothesis was added",
            Assert.Throws<InvalidOperationException>(() => CorpusBleu.Score([], Array.Empty<string>())).Message);
        Assert.Equal("2 hypotheses but 1 reference lists: they must be aligned one to one",
            Assert.Throws<ArgumentException>(() => CorpusBleu.Score(["a", "b"], ["a"])).Message);
        Assert.Throws<ArgumentException>(() => new CorpusBleu(0));
    }
}
