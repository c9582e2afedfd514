// Ancestral sampling settings. The filters apply in this order: temperature, top-k, top-p.
namespace Transformer.Models.Decoding;

public sealed record SamplingOptions : DecodingOptions
{
    /// <summary>Divides the log-probabilities before sampling: below 1 sharpens, above 1 flattens; the limit
    /// towards 0 is greedy. Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only among the k most probable tokens (ties with the k-th kept). Null: no limit. Default null.</summary>
    public int? TopK { get; init; }

    /// <summary>Nucleus sampling: only the smallest set of most probable tokens whose probability reaches p
    /// (always at least one token). Null or 1: no limit. Default null.</summary>
    public double? TopP { get; init; }

    /// <summary>When set, torch.manual_seed(Seed) runs before sampling, so the samples are reproducible. Default null.</summary>
    public long? Seed { get; init; }

    public override void Validate()
    {
        base.Validate();
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw Invalid("temperature", "must be positive and finite", Temperature);
        if (TopK < 1) throw Invalid("top_k", "must be at least 1", TopK);
        if (TopP is { } p && !(p > 0 && p <= 1)) throw Invalid("top_p", "must be in (0, 1]", p);
    }
}
