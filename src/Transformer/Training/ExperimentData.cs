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
    public const string TokenizerFile = TokenizerFactory.TokenizerJson;

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
    public static PrepareResult Prepare(ExperimentConfig config, Action<string>? report = null) => PrepareWith(config, report).Result;

    private static (PrepareResult Result, TextTokenizer Tokenizer) PrepareWith(ExperimentConfig config, Action<string>? report)
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
        tokenizer.Save(directory);
        return (result, tokenizer);
    }

    /// <summary>For data.corpus: converts the fetched corpus (a no-op when current) and points the splits at the result.</summary>
    private static ExperimentConfig WithCorpus(ExperimentConfig config, Action<string>? report)
    {
        if (config.Data.Corpus is not { } corpus) return config;
        const string rawRoot = "data/raw", corporaRoot = "data/corpora";
        foreach (var package in CorpusConversions.RawPackages(corpus))
            if (!Directory.Exists(Path.Combine(rawRoot, package)))
                throw new ConfigException("data.corpus", corpus, $"the fetched corpus in {rawRoot}/{package} (run scripts/fetch-data.sh {package})");
        var result = CorpusConversions.Convert(corpus, rawRoot, corporaRoot, (int)config.Seed, data: config.Data);
        foreach (var line in result.Describe()) report?.Invoke(line);
        var extension = corpus is "brown" or SpamPretrainConverter.CorpusName ? ".txt" : ".tsv";
        string Split(string name) => Path.Combine(corporaRoot, corpus, name + extension);
        return config with { Data = config.Data with { Train = Split("train"), Valid = Split("valid"), Test = Split("test") } };
    }

    /// <summary>Opens prepared shards (preparing them first if needed) as the trainer's batch source.</summary>
    public static PreparedBatchSource Open(ExperimentConfig config, Action<string>? report = null)
    {
        var (_, tokenizer) = PrepareWith(config, report);
        var directory = PreparedDirectory(config);
        CheckVocabulary(config.Model, tokenizer);
        return new PreparedBatchSource(PreparedDataset.Open(directory, tokenizer.Hash), config, tokenizer);
    }

    private static TextTokenizer TokenizerFor(ExperimentConfig config, SourceOptions source, string directory, Action<string>? report)
    {
        var t = config.Tokenizer;
        var saved = Path.Combine(directory, TokenizerFile);
        TextTokenizer tokenizer;
        if (!t.IsTrained || t.Path is not null) tokenizer = TokenizerFactory.Load(t);
        else if (File.Exists(saved)) tokenizer = TokenizerFactory.Load(t with { Path = saved });   // trained by an earlier prepare
        else
        {
            var texts = TrainingTexts(config.Data.Train!, source).ToList();
            report?.Invoke($"training a {t.Kind.ToString().ToLowerInvariant()} tokenizer on {texts.Count:N0} texts of {config.Data.Train}");
            tokenizer = TokenizerFactory.Train(t, texts);
        }
        foreach (var note in tokenizer.Notes) report?.Invoke(note);
        return tokenizer;
    }

    private static IEnumerable<string> TrainingTexts(string path, SourceOptions source)
    {
        foreach (var example in ExampleReader.For(source).Read(path, new BadLineLog(BadLinePolicy.Skip)))
        {
            yield return example.Text;
            if (example.Target is not null) yield return example.Target;
        }
    }

    /// <summary>Every id the tokenizer gives (its special tokens included) must have an embedding.</summary>
    private static void CheckVocabulary(ModelConfig model, TextTokenizer tokenizer)
    {
        var tokenizerVocabulary = tokenizer.VocabSize;
        var added = tokenizer.AddedSpecialTokens.Count == 0 ? ""
            : $": {tokenizer.BaseVocabSize} of {tokenizer.Description} and the added special token{(tokenizer.AddedSpecialTokens.Count > 1 ? "s" : "")} "
              + string.Join(", ", tokenizer.AddedSpecialTokens.Values);
        (string key, int size)[] sizes = model switch
        {
            EncoderDecoderConfig m => [("model.source_vocab_size", m.SourceVocabSize), ("model.target_vocab_size", m.TargetVocabSize)],
            DecoderOnlyConfig m => [("model.vocab_size", m.VocabSize)],
            EncoderClassifierConfig m => [("model.vocab_size", m.VocabSize)],
            EncoderMlmConfig m => [("model.vocab_size", m.VocabSize)],
            _ => [],
        };
        foreach (var (key, size) in sizes)
            if (size < tokenizerVocabulary)
                throw new ConfigException(key, size, $"at least the tokenizer's vocabulary size ({tokenizerVocabulary}{added})");
        // Padding is masked out of attention and the loss by model.pad_index: it must be the tokenizer's pad.
        if (sizes.Length > 0 && tokenizer.PadId is { } pad && model.PadIndex != pad)
            throw new ConfigException("model.pad_index", model.PadIndex,
                $"the tokenizer's pad id, {pad} ({tokenizer.Decode([pad], skipSpecialTokens: false)} of {tokenizer.Description})");
    }
}
