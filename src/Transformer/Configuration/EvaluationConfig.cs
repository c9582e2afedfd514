// evaluation: what `transformer evaluate` reports next to the model's own figures — baselines computed
// from the training split over the same split and with the same metrics, as anchors.
namespace Transformer.Configuration;

/// <summary>Anchors for `transformer evaluate` (encoder_decoder on pairs data only).</summary>
public sealed record EvaluationConfig
{
    /// <summary>Baselines scored like the model on the evaluated split (keys baseline_NAME_exact_match, _bleu, _chrf):
    /// retrieval, compositional. Null or empty for none. Default null.</summary>
    public IReadOnlyList<BaselineKind>? Baselines { get; init; }

    public void Validate()
    {
        if (Baselines is null) return;
        for (var i = 0; i < Baselines.Count; i++)
            if (Baselines.Take(i).Contains(Baselines[i]))
                throw new ConfigException($"evaluation.baselines[{i}]", ConfigNaming.EnumValue(Baselines[i]), "each baseline once");
    }
}
