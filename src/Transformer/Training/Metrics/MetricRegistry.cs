// The metrics the CLI knows by name. Rates are fractions, not percentages: BLEU and chrF are
// sacreBLEU's 0–100 scores divided by 100, so every score the trainer compares lives on one scale.
namespace Transformer.Training.Metrics;

public static class MetricRegistry
{
    public const string Loss = "loss";
    public const string Perplexity = "perplexity";
    public const string TokenAccuracy = "token_accuracy";
    public const string ExactMatch = "exact_match";
    public const string Bleu = "bleu";
    public const string Chrf = "chrf";
    public const string Wer = "wer";
    public const string Per = "per";
    public const string Accuracy = "accuracy";
    public const string MacroF1 = "macro_f1";
    public const string MlmAccuracy = "mlm_accuracy";
    public const string MlmPerplexity = "mlm_perplexity";

    private const double Unbounded = double.PositiveInfinity;

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new(Loss, false, 0, Unbounded, "mean token negative log-likelihood, in nats"),
        new(Perplexity, false, 1, Unbounded, "exp(loss)"),
        new(TokenAccuracy, true, 0, 1, "correct non-padding tokens / non-padding tokens"),
        new(ExactMatch, true, 0, 1, "sequences predicted exactly / sequences"),
        new(Bleu, true, 0, 1, "corpus BLEU as sacreBLEU 2.x computes it by default, divided by 100"),
        new(Chrf, true, 0, 1, "corpus chrF2 as sacreBLEU 2.x computes it by default, divided by 100"),
        new(Wer, false, 0, Unbounded,
            "word error rate: G2P words matching no reference / words, or word edits / reference words (can exceed 1)"),
        new(Per, false, 0, Unbounded, "phoneme edits to the closest reference / its phonemes (can exceed 1)"),
        new(Accuracy, true, 0, 1, "correct classifications / examples"),
        new(MacroF1, true, 0, 1, "unweighted mean of per-class F1"),
        new(MlmAccuracy, true, 0, 1, "masked language models: correct predictions at the chosen positions / chosen positions"),
        new(MlmPerplexity, false, 1, Unbounded, "masked language models: exp(mean loss over the chosen positions)"),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByName =
        All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out MetricDefinition definition) =>
        ByName.TryGetValue(name, out definition!);

    /// <summary>The definition of <paramref name="name"/>; an unknown name is an error that suggests the nearest one.</summary>
    public static MetricDefinition Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ByName.TryGetValue(name, out var definition)) return definition;
        var nearest = All.MinBy(d => EditDistance.Levenshtein<char>(name, d.Name))!.Name;
        throw new ArgumentException(
            $"unknown metric '{name}' (did you mean '{nearest}'?); known: {string.Join(", ", All.Select(d => d.Name))}");
    }
}
