namespace Transformer.Models.Decoding;

/// <summary>The GNMT length penalty (Wu et al. 2016, eq. 14): lp(Y) = ((5 + |Y|) / 6)^α.</summary>
public static class LengthPenalty
{
    public static double Of(int length, double alpha) => alpha == 0 ? 1.0 : Math.Pow((5.0 + length) / 6.0, alpha);

    /// <summary>log P(Y) / lp(Y): the score beam search ranks hypotheses by.</summary>
    public static double Normalize(double logProbability, int length, double alpha) => logProbability / Of(length, alpha);
}
