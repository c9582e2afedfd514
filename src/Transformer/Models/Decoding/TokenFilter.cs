// Reshapes a next-token distribution before sampling: temperature, then top-k, then top-p (nucleus,
// Holtzman et al. 2020). Removed tokens get log-probability −∞; the rest are renormalised.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public static class TokenFilter
{
    /// <summary>logProbs (…, V), log-probabilities or logits → filtered log-probabilities (…, V), float64.</summary>
    /// <param name="temperature">Divides the log-probabilities; must be positive.</param>
    /// <param name="topK">Keep the k largest (and any tied with the k-th); null keeps all.</param>
    /// <param name="topP">Keep the smallest set of most probable tokens whose probability is at least p (the most
    /// probable token always); null or 1 keeps all.</param>
    public static Tensor Apply(Tensor logProbs, double temperature = 1.0, int? topK = null, double? topP = null)
    {
        if (!(temperature > 0 && double.IsFinite(temperature))) throw new ArgumentException($"temperature must be positive and finite, got {temperature}");
        if (topK < 1) throw new ArgumentException($"top_k must be at least 1, got {topK}");
        if (topP is { } pp && !(pp > 0 && pp <= 1)) throw new ArgumentException($"top_p must be in (0, 1], got {pp}");
        using var scope = NewDisposeScope();
        var x = logProbs.to(ScalarType.Float64);
        if (temperature != 1.0) x = x / temperature;
        if (topK is { } k && k < x.size(-1))
        {
            var (values, _) = x.topk(k, -1);
            var kth = values.narrow(-1, k - 1, 1);                      // (…, 1)
            x = x.masked_fill(x < kth, double.NegativeInfinity);
        }
        if (topP is { } p && p < 1)
        {
            var (sorted, order) = x.sort(-1, descending: true);
            var probabilities = nn.functional.softmax(sorted, -1);
            var before = probabilities.cumsum(-1) - probabilities;      // mass of the more probable tokens
            var kept = sorted.masked_fill(before >= p, double.NegativeInfinity);
            x = full_like(x, double.NegativeInfinity).scatter(-1, order, kept);
        }
        return scope.MoveToOuter(nn.functional.log_softmax(x, -1));
    }
}
