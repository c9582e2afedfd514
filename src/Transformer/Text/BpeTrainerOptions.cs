// Settings for learning a byte-level BPE vocabulary.
namespace Transformer.Text;

/// <summary>
/// How <see cref="BpeTokenizer.Train"/> learns. The vocabulary is: the special tokens (ids 0, 1, …, in
/// order), then GPT-2's 256 byte characters in code point order, then one token per merge. Each step
/// merges the most frequent adjacent pair of symbols over all words (word frequency × occurrences);
/// ties go to the pair whose (left id, right id) is smallest — Hugging Face's rule — so training is
/// deterministic. Training stops at <see cref="VocabSize"/> tokens or when the best pair occurs fewer
/// than <see cref="MinFrequency"/> times.
/// </summary>
public sealed record BpeTrainerOptions
{
    /// <summary>The vocabulary size to reach, special tokens and the 256 byte tokens included.</summary>
    public int VocabSize { get; init; } = 8000;

    /// <summary>Pairs that occur fewer times are not merged.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Special tokens, given ids 0, 1, … in this order, matched in text before pre-tokenization.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<pad>", "<bos>", "<eos>", "<unk>"];

    /// <summary>Prefix a space to text that does not start with one, so a first word encodes like the others.</summary>
    public bool AddPrefixSpace { get; init; }

    /// <summary>Threads for counting words (-1: all cores). The merge loop itself is sequential.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        TrainerChecks.SpecialTokens(SpecialTokens);
        if (VocabSize < SpecialTokens.Count + 256)
            throw new ArgumentException(
                $"VocabSize {VocabSize} is smaller than the 256 byte tokens plus {SpecialTokens.Count} special tokens", nameof(VocabSize));
        if (MinFrequency < 1) throw new ArgumentException($"MinFrequency {MinFrequency} must be at least 1", nameof(MinFrequency));
    }
}
