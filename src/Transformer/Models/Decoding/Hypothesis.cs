namespace Transformer.Models.Decoding;

/// <summary>One decoded sequence.</summary>
/// <param name="Tokens">The generated ids: no BOS, no prompt, no EOS.</param>
/// <param name="Score">What the search ranks by: <paramref name="LogProbability"/>, divided by the length penalty in beam search.</param>
/// <param name="LogProbability">Sum of the model's log-probabilities of the generated tokens, the EOS included
/// (before any temperature or filtering when sampling).</param>
/// <param name="Finished">True when the sequence ended with EOS, false when it reached the maximum length.</param>
public sealed record Hypothesis(long[] Tokens, double Score, double LogProbability, bool Finished)
{
    /// <summary>Tokens scored: the generated ones plus the EOS when finished (|Y| of the length penalty).</summary>
    public int Length => Tokens.Length + (Finished ? 1 : 0);

    public override string ToString() =>
        $"[{string.Join(' ', Tokens)}]{(Finished ? " <eos>" : "")} score {Score:G6} (log P {LogProbability:G6})";
}
