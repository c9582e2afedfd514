using Transformer.Training.Metrics;

namespace Transformer.Tests;

public class MetricSetTests
{
    [Theory]
    [InlineData("loss", false)]
    [InlineData("perplexity", false)]
    [InlineData("token_accuracy", true)]
    [InlineData("exact_match", true)]
    [InlineData("bleu", true)]
    [InlineData("chrf", true)]
    [InlineData("wer", false)]
    [InlineData("per", false)]
    [InlineData("accuracy", true)]
    [InlineData("macro_f1", true)]
    [InlineData("mlm_accuracy", true)]
    [InlineData("mlm_perplexity", false)]
    public void Every_cli_metric_is_registered_with_its_direction(string name, bool higherIsBetter)
    {
        Assert.Equal(higherIsBetter, MetricRegistry.Get(name).HigherIsBetter);
    }

    [Fact]
    public void The_registry_holds_exactly_the_cli_metrics()
    {
        Assert.Equal(["loss", "perplexity", "token_accuracy", "exact_match", "bleu", "chrf", "wer", "per", "accuracy", "macro_f1", "mlm_accuracy", "mlm_perplexity"],
            MetricRegistry.All.Select(d => d.Name));
    }

    [Fact]
    public void Scores_from_each_metric_land_under_their_names_as_fractions()
    {
        var tokens = new TokenMetricsAccumulator();
        tokens.Add(2.0, tokens: 4, correctTokens: 3, sequences: 2, exactSequences: 1);
        var matrix = new ConfusionMatrix(["a", "b"]);
        matrix.Add([0, 1, 1], [0, 1, 0]);
        var set = new MetricSet()
            .Add(tokens.Result)
            .Add(CorpusBleu.Score(["the cat sat on"], ["the cat sat on"]))
            .Add(CorpusChrf.Score(["aa"], ["ab"]))
            .Add(PronunciationErrorRates.Score([["A"]], [[["B"]]]))
            .Add(matrix);
        Assert.Equal(["loss", "perplexity", "token_accuracy", "exact_match", "bleu", "chrf", "wer", "per", "accuracy", "macro_f1"], set.Names);
        Assert.Equal(1.0, set["bleu"], 1e-12);
        Assert.Equal(0.25, set["chrf"], 1e-12);
        Assert.Equal((1.0, 1.0), (set["wer"], set["per"]));
        Assert.Equal(0.5, set["loss"]);
        Assert.Equal("loss 0.5000  perplexity 1.6487  token_accuracy 0.7500  exact_match 0.5000  bleu 1.0000  chrf 0.2500  " +
                     "wer 1.0000  per 1.0000  accuracy 0.6667  macro_f1 0.6667", set.ToString());
    }

    [Fact]
    public void Best_checkpoint_comparison_follows_each_metric_direction()
    {
        var earlier = new MetricSet().Set("loss", 2.0).Set("bleu", 0.20);
        var later = new MetricSet().Set("loss", 1.5).Set("bleu", 0.18);
        Assert.True(later.IsBetterThan(earlier, "loss"));
        Assert.False(later.IsBetterThan(earlier, "bleu"));
        Assert.False(earlier.IsBetterThan(earlier, "bleu"));
        Assert.True(later.IsBetterThan(null, "bleu"));
        Assert.Equal(double.PositiveInfinity, MetricRegistry.Get("loss").Worst);
        Assert.Equal(0.0, MetricRegistry.Get("bleu").Worst);
    }

    [Fact]
    public void Unknown_names_and_out_of_range_values_are_rejected()
    {
        var set = new MetricSet();
        Assert.StartsWith("unknown metric 'blue' (did you mean 'bleu'?); known: loss, perplexity",
            Assert.Throws<ArgumentException>(() => set.Set("blue", 0.3)).Message);
        Assert.Equal("metric bleu must be in [0, 1], got 27.3",
            Assert.Throws<ArgumentException>(() => set.Set("bleu", 27.3)).Message);
        Assert.Throws<ArgumentException>(() => set.Set("loss", double.NaN));
        Assert.Equal("metric 'bleu' was not computed; this set holds: ", Assert.Throws<KeyNotFoundException>(() => set["bleu"]).Message);
    }
}
