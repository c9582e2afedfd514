// Beam search settings. The defaults follow Wu et al. 2016 (GNMT): 4 beams, length penalty α = 0.6.
namespace Transformer.Models.Decoding;

public sealed record BeamSearchOptions : DecodingOptions
{
    /// <summary>Open hypotheses kept per source. Default 4.</summary>
    public int BeamSize { get; init; } = 4;

    /// <summary>α of the GNMT length penalty lp(Y) = ((5 + |Y|) / 6)^α; hypotheses rank by log P(Y) / lp(Y).
    /// 0 ranks by log-probability alone. Default 0.6.</summary>
    public double LengthPenalty { get; init; } = 0.6;

    /// <summary>Hypotheses returned per source, best first; at most <see cref="BeamSize"/>. Default 1.</summary>
    public int NBest { get; init; } = 1;

    public override void Validate()
    {
        base.Validate();
        if (BeamSize < 1) throw Invalid("beam_size", "must be at least 1", BeamSize);
        if (!(LengthPenalty >= 0 && double.IsFinite(LengthPenalty))) throw Invalid("length_penalty", "must be a finite number ≥ 0", LengthPenalty);
        if (NBest < 1 || NBest > BeamSize) throw Invalid("n_best", $"must be between 1 and beam_size ({BeamSize})", NBest);
    }
}
