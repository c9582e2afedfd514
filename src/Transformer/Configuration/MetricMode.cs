// Whether a metric improves downwards (a loss) or upwards (accuracy, BLEU).
namespace Transformer.Configuration;

public enum MetricMode
{
    /// <summary>Lower is better (loss, perplexity).</summary>
    Min,
    /// <summary>Higher is better (accuracy, BLEU).</summary>
    Max,
}
