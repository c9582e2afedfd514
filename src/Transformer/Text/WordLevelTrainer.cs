// Learns word-level and character-level vocabularies: special tokens first, then the pieces the
// pipeline cuts the texts into, by descending frequency (ties in ordinal order).
namespace Transformer.Text;

internal static class WordLevelTrainer
{
    public static WordLevelTokenizer TrainWords(IEnumerable<string> texts, WordLevelTrainerOptions options)
    {
        options.Validate();
        var pipeline = new TokenizerPipeline(
            TrainerChecks.AsAddedTokens(options.SpecialTokens),
            options.Lowercase ? new LowercaseNormalizer() : null,
            options.SplitPunctuation ? new WhitespacePreTokenizer() : new WhitespaceSplitPreTokenizer(),
            decoder: null);
        return Train(texts, pipeline, options.SpecialTokens, options.UnkToken, options.MinFrequency, options.VocabSize);
    }

    public static WordLevelTokenizer TrainCharacters(IEnumerable<string> texts, CharLevelTrainerOptions options)
    {
        options.Validate();
        var pipeline = new TokenizerPipeline(
            TrainerChecks.AsAddedTokens(options.SpecialTokens),
            normalizer: null,
            new SplitPreTokenizer("", isRegex: false, "Isolated", invert: false),
            new FuseDecoder());
        return Train(texts, pipeline, options.SpecialTokens, options.UnkToken, options.MinFrequency, options.VocabSize);
    }

    private static WordLevelTokenizer Train(
        IEnumerable<string> texts, TokenizerPipeline pipeline, IReadOnlyList<string> specialTokens,
        string unkToken, int minFrequency, int? vocabSize)
    {
        var counts = WordCounter.Count(texts, pipeline, maxDegreeOfParallelism: -1);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in specialTokens) vocab[token] = vocab.Count;
        var limit = vocabSize ?? int.MaxValue;
        var ranked = counts
            .Where(e => e.Value >= minFrequency && !vocab.ContainsKey(e.Key) && !TrainerChecks.HasLoneSurrogate(e.Key))
            .OrderByDescending(e => e.Value)
            .ThenBy(e => e.Key, StringComparer.Ordinal);
        foreach (var (word, _) in ranked)
        {
            if (vocab.Count >= limit) break;
            vocab[word] = vocab.Count;
        }
        return new WordLevelTokenizer(pipeline, new WordLevelModel(vocab, unkToken));
    }

    public static void Check(IReadOnlyList<string> specialTokens, string unkToken, int minFrequency, int? vocabSize)
    {
        TrainerChecks.SpecialTokens(specialTokens);
        if (!specialTokens.Contains(unkToken))
            throw new ArgumentException($"UnkToken \"{unkToken}\" is not one of the special tokens", nameof(unkToken));
        if (minFrequency < 1) throw new ArgumentException($"MinFrequency {minFrequency} must be at least 1", nameof(minFrequency));
        if (vocabSize < specialTokens.Count)
            throw new ArgumentException($"VocabSize {vocabSize} is smaller than the {specialTokens.Count} special tokens", nameof(vocabSize));
    }
}
