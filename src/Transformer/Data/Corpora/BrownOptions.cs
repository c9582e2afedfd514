// The Brown split and vocabulary rule: Bengio et al. (2003) — the first 800,000 words train, the next
// 200,000 valid, the rest test; words seen at most 3 times become <unk>.
namespace Transformer.Data.Corpora;

public sealed record BrownOptions
{
    public int TrainWords { get; init; } = 800_000;
    public int ValidWords { get; init; } = 200_000;

    /// <summary>Lowercased words seen this many times or fewer in the whole corpus become &lt;unk&gt;.</summary>
    public int UnkMaxCount { get; init; } = 3;

    /// <summary>The unknown-word symbol of vocab.txt.</summary>
    public string UnkToken { get; init; } = "<unk>";
}
