// BERT's masking for masked language modelling (Devlin et al. 2019, §3.1; Hugging Face's
// DataCollatorForLanguageModeling): each token that is neither padding nor a special token is chosen with
// probability p (0.15), independently; of the chosen, 80% become the mask token, 10% a token drawn uniformly from
// the vocabulary's non-special tokens (it may be the original one, as in BERT) and 10% stay as they are. The label of
// a chosen position is its original token; every other label is IgnoreIndex, so the loss sees the chosen positions
// only. The draws come from a SplitMix64 the caller keys (by seed and data cursor), so a batch is masked the same way
// every time it is built.
namespace Transformer.Data.Batching;

/// <summary>What masking needs to know of the vocabulary.</summary>
public sealed record MlmMaskingOptions
{
    /// <summary>The tokenizer's mask token.</summary>
    public required long MaskId { get; init; }
    /// <summary>The tokenizer's vocabulary size (added special tokens included): random replacements are drawn from
    /// [0, VocabSize) less the special tokens.</summary>
    public required int VocabSize { get; init; }
    /// <summary>Ids never chosen nor drawn as replacements: padding and every special token (bos, eos, mask, …).</summary>
    public required IReadOnlyCollection<long> SpecialIds { get; init; }
    /// <summary>Chance that a token is chosen. Default 0.15.</summary>
    public double Probability { get; init; } = 0.15;
    /// <summary>Seed of the masking draws (with the data cursor). Default 0.</summary>
    public long Seed { get; init; }
}

public sealed class MlmMasking
{
    /// <summary>The label of positions the loss ignores (PyTorch's cross_entropy default, as Hugging Face uses it).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Of the chosen tokens: [0, 8) of 10 → mask, 8 → random token, 9 → unchanged.</summary>
    private const int MaskTenths = 8, RandomTenth = 8;

    private readonly bool[] special;
    private readonly long[] replacements;

    public MlmMasking(MlmMaskingOptions options)
    {
        if (!(options.Probability > 0 && options.Probability < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Probability, "the masking probability must be in (0, 1)");
        if (options.MaskId < 0 || options.MaskId >= options.VocabSize)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaskId, $"the mask id must be a token id below {options.VocabSize}");
        Options = options;
        special = new bool[options.VocabSize];
        foreach (var id in options.SpecialIds.Append(options.MaskId))
            if (id >= 0 && id < special.Length) special[id] = true;
        replacements = Enumerable.Range(0, options.VocabSize).Where(i => !special[i]).Select(i => (long)i).ToArray();
        if (replacements.Length == 0) throw new ArgumentException("the vocabulary has no token that is not special", nameof(options));
    }

    public MlmMaskingOptions Options { get; }

    /// <summary>Whether masking leaves <paramref name="id"/> alone: padding and special tokens.</summary>
    public bool IsSpecial(long id) => id >= 0 && id < special.Length && special[id];

    /// <summary>The draws of one row of the batch at <paramref name="at"/> (row <paramref name="row"/>): a function of
    /// (seed, epoch, position, row) alone.</summary>
    public SplitMix64 Random(DataCursor at, int row) => SplitMix64.For(Options.Seed, at.Epoch, at.Position, row);

    /// <summary>Masks <paramref name="tokens"/> in place from position <paramref name="firstCandidate"/> on (earlier
    /// positions are context only) and writes <paramref name="labels"/>; returns how many positions were chosen.</summary>
    public int Apply(Span<long> tokens, Span<long> labels, SplitMix64 random, int firstCandidate = 0)
    {
        if (labels.Length != tokens.Length) throw new ArgumentException("tokens and labels differ in length", nameof(labels));
        labels.Fill(IgnoreIndex);
        var chosen = 0;
        for (var i = firstCandidate; i < tokens.Length; i++)
        {
            if (IsSpecial(tokens[i])) continue;
            if (Uniform(random) >= Options.Probability) continue;
            chosen++;
            labels[i] = tokens[i];
            var tenth = (int)random.NextBelow(10);
            if (tenth < MaskTenths) tokens[i] = Options.MaskId;
            else if (tenth == RandomTenth) tokens[i] = replacements[random.NextBelow((ulong)replacements.Length)];
        }
        return chosen;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    private static double Uniform(SplitMix64 random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
