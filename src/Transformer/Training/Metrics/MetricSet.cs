// The named values one evaluation produced, in the order they were recorded: what the CLI prints, what
// metrics.jsonl stores and what early stopping compares.
using System.Collections;
using System.Globalization;

namespace Transformer.Training.Metrics;

public sealed class MetricSet : IEnumerable<KeyValuePair<string, double>>
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>Records (or replaces) a value; the name must be a registered metric and the value in its range
    /// (round-off past a bound is clamped).</summary>
    public MetricSet Set(string name, double value)
    {
        value = MetricRegistry.Get(name).Checked(value);
        if (!_values.ContainsKey(name)) _order.Add(name);
        _values[name] = value;
        return this;
    }

    public double this[string name] => _values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException(
            $"metric '{MetricRegistry.Get(name).Name}' was not computed; this set holds: {string.Join(", ", _order)}");

    public bool TryGetValue(string name, out double value) => _values.TryGetValue(name, out value);

    public IReadOnlyList<string> Names => _order;

    public int Count => _order.Count;

    /// <summary>loss, perplexity, token_accuracy and, when sequences were counted, exact_match.</summary>
    public MetricSet Add(TokenMetrics metrics)
    {
        Set(MetricRegistry.Loss, metrics.Loss).Set(MetricRegistry.Perplexity, metrics.Perplexity);
        Set(MetricRegistry.TokenAccuracy, metrics.TokenAccuracy);
        return metrics.ExactMatch is { } exact ? Set(MetricRegistry.ExactMatch, exact) : this;
    }

    /// <summary>bleu, as a fraction (sacreBLEU's score / 100).</summary>
    public MetricSet Add(BleuScore bleu) => Set(MetricRegistry.Bleu, bleu.Score / 100);

    /// <summary>chrf, as a fraction (sacreBLEU's score / 100).</summary>
    public MetricSet Add(ChrfScore chrf) => Set(MetricRegistry.Chrf, chrf.Score / 100);

    /// <summary>wer and per of grapheme-to-phoneme predictions.</summary>
    public MetricSet Add(PronunciationScore score) =>
        Set(MetricRegistry.Wer, score.WordErrorRate).Set(MetricRegistry.Per, score.PhonemeErrorRate);

    /// <summary>wer of sentences (word edits / reference words).</summary>
    public MetricSet Add(WordErrorRateScore score) => Set(MetricRegistry.Wer, score.Rate);

    /// <summary>accuracy and macro_f1.</summary>
    public MetricSet Add(ConfusionMatrix matrix) =>
        Set(MetricRegistry.Accuracy, matrix.Accuracy).Set(MetricRegistry.MacroF1, matrix.MacroF1);

    /// <summary>Whether this set's <paramref name="name"/> improves on <paramref name="best"/>'s (or
    /// <paramref name="best"/> is null: the first evaluation is always the best so far).</summary>
    public bool IsBetterThan(MetricSet? best, string name) =>
        best is null || MetricRegistry.Get(name).IsBetter(this[name], best[name]);

    /// <summary>"loss 2.3026  perplexity 10.0000  bleu 0.2734": every value with 4 decimals.</summary>
    public override string ToString() => string.Join("  ",
        _order.Select(n => $"{n} {_values[n].ToString("F4", CultureInfo.InvariantCulture)}"));

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        _order.Select(n => new KeyValuePair<string, double>(n, _values[n])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
