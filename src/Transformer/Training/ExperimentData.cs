// From an experiment's data and tokenizer sections to prepared shards and batches: the tokenizer is
// loaded (tokenizer.path) or trained on the training split, the sources are tokenized into
// data.prepared_dir/NAME (a no-op when nothing changed), and batches are read from the shards.
using Transformer.Configuration;
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Data.Corpora;
using Transformer.Data.Shards;
using Transformer.Data.Sources;
using Transformer.Models;
using Transformer.Text;

namespace Transformer.Training;

public static class ExperimentData
{
    public const string TokenizerFile = "tokenizer.json";

    public static string PreparedDirectory(ExperimentConfig config) => Path.Combine(config.Data.PreparedDir, config.Name);

    public static SourceOptions Source(ExperimentConfig config) => new()
    {
        Kind = config.Data.Kind switch
        {
            DataKind.Pairs => SourceKind.Pairs,
            DataKind.Text => SourceKind.Text,
            _ => (config.Data.Train ?? "").EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? SourceKind.LabeledJsonl : SourceKind.LabeledTsv,
        },
    };

    /// <summary>Tokenizes the sources into shards (after loading or training the tokenizer); returns what was done.</summary>
    public static PrepareResult Prepare(ExperimentConfig config, Action<string>? report = null)
    {
        config = WithCorpus(config, report);
        var data = config.Data;
        if (data.Train is null) throw new ConfigException("data.train", null, "the path of the training split (or data.builtin)");
        foreach (var (key, path) in new[] { ("data.train", data.Train), ("data.valid", data.Valid), ("data.test", data.Test) })
            if (path is not null && !File.Exists(path)) throw new ConfigException(key, path, "an existing file");
        var directory = PreparedDirectory(config);
        var source = Source(config);
        var tokenizer = TokenizerFor(config, source, directory, report);
        var options = new PrepareOptions
        {
            OutputDirectory = directory, Source = source, Train = [data.Train],
            Valid = data.Valid is null ? [] : [data.Valid], Test = data.Test is null ? [] : [data.Test],
            ValidFraction = data.Valid is null && data.Test is null ? 0.05 : 0,
            TestFraction = data.Valid is null && data.Test is null ? 0.05 : 0,
            SplitSeed = config.Seed,
        };
        var result = DatasetPreparer.Prepare(options, new TokenizerTextEncoder(tokenizer), report);
        tokenizer.Save(Path.Combine(directory, TokenizerFile));
        return result;
    }

    /// <summary>For data.corpus: converts the fetched corpus (a no-op when current) and points the splits at the result.</summary>
    private static ExperimentConfig WithCorpus(ExperimentConfig config, Action<string>? report)
    {
        if (config.Data.Corpus is not { } corpus) return config;
        const string rawRoot = "data/raw", corporaRoot = "data/corpora";
        if (!Directory.Exists(Path.Combine(rawRoot, corpus)))
            throw new ConfigException("data.corpus", corpus, $"the fetched corpus in {rawRoot}/{corpus} (run scripts/fetch-data.sh {corpus})");
        var result = CorpusConversions.Convert(corpus, rawRoot, corporaRoot, (int)config.Seed, data: config.Data);
        foreach (var line in result.Describe()) report?.Invoke(line);
        var extension = corpus == "brown" ? ".txt" : ".tsv";
        string Split(string name) => Path.Combine(corporaRoot, corpus, name + extension);
        return config with { Data = config.Data with { Train = Split("train"), Valid = Split("valid"), Test = Split("test") } };
    }

    /// <summary>Opens prepared shards (preparing them first if needed) as the trainer's batch source.</summary>
    public static PreparedBatchSource Open(ExperimentConfig config, Action<string>? report = null)
    {
        Prepare(config, report);
        var directory = PreparedDirectory(config);
        var tokenizer = Tokenizer.Load(Path.Combine(directory, TokenizerFile));
        CheckVocabulary(config.Model, tokenizer.VocabSize);
        return new PreparedBatchSource(PreparedDataset.Open(directory, tokenizer.Hash), config, tokenizer);
    }

    private static Tokenizer TokenizerFor(ExperimentConfig config, SourceOptions source, string directory, Action<string>? report)
    {
        var t = config.Tokenizer;
        if (t.Path is not null)
        {
            if (!File.Exists(t.Path)) throw new ConfigException("tokenizer.path", t.Path, "an existing tokenizer.json");
            return Tokenizer.Load(t.Path);
        }
        var saved = Path.Combine(directory, TokenizerFile);
        if (File.Exists(saved)) return Tokenizer.Load(saved);                   // trained by an earlier prepare
        var texts = TrainingTexts(config.Data.Train!, source).ToList();
        report?.Invoke($"training a {t.Kind.ToString().ToLowerInvariant()} tokenizer on {texts.Count:N0} texts of {config.Data.Train}");
        return t.Kind switch
        {
            TokenizerKind.Bpe => BpeTokenizer.Train(texts, new BpeTrainerOptions { VocabSize = t.VocabSize, MinFrequency = t.MinFrequency }),
            TokenizerKind.Word => WordLevelTokenizer.TrainWords(texts, new WordLevelTrainerOptions { MinFrequency = t.MinFrequency, VocabSize = t.VocabSize, Lowercase = t.Lowercase }),
            _ => WordLevelTokenizer.TrainCharacters(texts, new CharLevelTrainerOptions { MinFrequency = t.MinFrequency, VocabSize = t.VocabSize }),
        };
    }

    private static IEnumerable<string> TrainingTexts(string path, SourceOptions source)
    {
        foreach (var example in ExampleReader.For(source).Read(path, new BadLineLog(BadLinePolicy.Skip)))
        {
            yield return example.Text;
            if (example.Target is not null) yield return example.Target;
        }
    }

    private static void CheckVocabulary(ModelConfig model, int tokenizerVocabulary)
    {
        (string key, int size)[] sizes = model switch
        {
            EncoderDecoderConfig m => [("model.source_vocab_size", m.SourceVocabSize), ("model.target_vocab_size", m.TargetVocabSize)],
            DecoderOnlyConfig m => [("model.vocab_size", m.VocabSize)],
            EncoderClassifierConfig m => [("model.vocab_size", m.VocabSize)],
            _ => [],
        };
        foreach (var (key, size) in sizes)
            if (size < tokenizerVocabulary)
                throw new ConfigException(key, size, $"at least the tokenizer's vocabulary size ({tokenizerVocabulary})");
    }
}
