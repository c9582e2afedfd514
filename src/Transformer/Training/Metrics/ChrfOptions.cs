// chrF's settings; the defaults are sacreBLEU 2.x's (chrF2: character 6-grams, no word n-grams,
// white space removed, effective-order averaging rather than epsilon smoothing).
namespace Transformer.Training.Metrics;

public sealed record ChrfOptions
{
    /// <summary>Largest character n-gram order. Default 6.</summary>
    public int CharOrder { get; init; } = 6;

    /// <summary>Recall is weighted β times as much as precision. Default 2.</summary>
    public double Beta { get; init; } = 2;

    /// <summary>Keep white space inside character n-grams (sacreBLEU's <c>whitespace=True</c>). Default false.</summary>
    public bool IncludeWhitespace { get; init; }

    /// <summary>
    /// Average per-order F-scores with ε for empty orders, as chrF++.py, NLTK and Moses do
    /// (sacreBLEU's <c>eps_smoothing=True</c>). Default false: average precision and recall over the
    /// orders that both sides have, then take one F-score, as sacreBLEU does by default.
    /// </summary>
    public bool EpsilonSmoothing { get; init; }

    public void Validate()
    {
        if (CharOrder < 1) throw new ArgumentException($"chrF char_order must be at least 1, got {CharOrder}");
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new ArgumentException($"chrF beta must be positive and finite, got {Beta}");
    }
}
