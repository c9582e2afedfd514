// transformer evaluate CHECKPOINT [--split valid|test] [--json] [--beam N] [--no-repeat-ngram-size N]
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Experiments;
using Transformer.Text;
using Transformer.Models;
using Transformer.Training;
using Transformer.Training.Baselines;
using Transformer.Training.Metrics;
using Transformer.Training.Checkpoints;
using static TorchSharp.torch;

namespace Transformer.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory (RUN/checkpoints/step-N), or a run directory for its best checkpoint" };
        var split = new Option<string>("--split") { Description = "valid or test", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("valid", "test");
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the metrics" };
        var beam = new Option<int>("--beam") { Description = "Beam size for sequence outputs (1 = greedy)", DefaultValueFactory = _ => 1 };
        var noRepeat = new Option<int>("--no-repeat-ngram-size") { Description = "No n-gram of this many tokens twice in a sequence output (0: no restriction)" };
        var command = new Command("evaluate", "Evaluate a checkpoint on a data split.") { checkpoint, split, json, beam, noRepeat };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(split)!, parse.GetValue(json), parse.GetValue(beam), parse.GetValue(noRepeat)));
        return command;
    }

    private static int Run(string checkpoint, string split, bool json, int beam, int noRepeatNgramSize)
    {
        if (beam < 1) throw new CliException($"--beam must be at least 1, got {beam}");
        if (noRepeatNgramSize < 0) throw new CliException($"--no-repeat-ngram-size must be 0 (off) or at least 1, got {noRepeatNgramSize}");
        (var run, checkpoint) = RunDirectory.OfCheckpointOrRun(checkpoint);
        var config = run.LoadConfig();
        using var precision = MatmulPrecision.Use(config.Training.Precision);   // the run's training.precision
        Checkpoint.CheckComplete(checkpoint);
        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        using var source = Source(run, config, Console.Error);   // stdout stays pure JSON
        var (metrics, confusion) = Measure(run, config, model, source, split, beam, noRepeatNgramSize);
        if (confusion is not null && !json) Console.WriteLine(confusion.ToText());
        if (json)
        {
            var output = new JsonObject();
            foreach (var (name, value) in metrics) output[name] = value;
            // Classifiers: {"labels": [...], "counts": [[true class × predicted class]]}.
            if (confusion is not null)
                output["confusion_matrix"] = new JsonObject
                {
                    ["labels"] = new JsonArray(confusion.Labels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
                    ["counts"] = new JsonArray(Enumerable.Range(0, confusion.Labels.Count)
                        .Select(a => (JsonNode)new JsonArray(Enumerable.Range(0, confusion.Labels.Count).Select(p => (JsonNode)JsonValue.Create(confusion[a, p])).ToArray()))
                        .ToArray()),
                };
            Console.WriteLine(output.ToJsonString());
        }
        else
            foreach (var (name, value) in metrics)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-16} {value:G6}"));
        return ExitCodes.Success;
    }

    /// <summary>The metrics of a checkpoint on a split: teacher-forced loss, perplexity and accuracy, and what generation
    /// gives (exact match, BLEU, chrF, error rates; classifiers: accuracy, F1 and the confusion matrix).</summary>
    /// <param name="source">The run's prepared data (<see cref="Source"/>); null for the built-in experiment.</param>
    public static (Dictionary<string, double> metrics, ConfusionMatrix? confusion) Measure(RunDirectory run, ExperimentConfig config, nn.Module model,
        PreparedBatchSource? source, string split, int beam, int noRepeatNgramSize = 0)
    {
        var metrics = new Dictionary<string, double>();
        ConfusionMatrix? confusion = null;
        if (config.Data.Builtin == "reverse" && model is EncoderDecoder seq2seq)
        {
            var data = new SequenceReversal(config.Seed, config.Training.BatchTokens);
            var examples = split == "test" ? data.Test : data.ValidationExamples;
            var teacherForced = Evaluator.Evaluate(model, examples.Chunk(256).Select(SequenceReversal.Batch), prefix: "");
            foreach (var (k, v) in teacherForced) metrics[k] = v;
            metrics["exact_match"] = SequenceReversal.ExactMatch(seq2seq, examples);
            return (metrics, null);
        }
        if (source is null) throw new ArgumentNullException(nameof(source), "a prepared experiment needs its data");
        foreach (var (k, v) in Evaluator.Evaluate(model, source.Split(split), prefix: "")) metrics[k] = v;
        var tokenizer = source.Tokenizer;
        switch (model)
        {
            case EncoderDecoder m:
                // Baselines (evaluation.baselines) read the training split as the model saw it: decoded from the shards.
                var baselines = PairBaselines.Build(config.Evaluation.Baselines ?? [], source.Pairs("train").Select(p =>
                    (tokenizer.Decode(p.Source.Select(t => (int)t)), tokenizer.Decode(p.Target.Select(t => (int)t)))));
                foreach (var (k, v) in GenerationEvaluator.EncoderDecoder(m, tokenizer, source.Split(split).Cast<Seq2SeqBatch>(), beam,
                             Experiment.MaxGenerationLength, Experiment.ScoresPronunciations(config), baselines: baselines, noRepeatNgramSize: noRepeatNgramSize))
                    metrics[k] = v;
                break;
            case EncoderClassifier m:
                var labels = source.Labels ?? throw new CliException($"{run.Path}: the prepared data has no label names");
                var (scores, matrix) = GenerationEvaluator.Classifier(m, labels, source.Split(split).Cast<ClassificationBatch>());
                foreach (var (k, v) in scores) metrics[k] = v;
                confusion = matrix;
                break;
        }
        return (metrics, confusion);
    }

    /// <summary>A run's prepared data, tokenized with its own tokenizer; null for the built-in experiment, which has none.</summary>
    public static PreparedBatchSource? Source(RunDirectory run, ExperimentConfig config, TextWriter progress) =>
        config.Data.Builtin == "reverse" ? null : (PreparedBatchSource)Experiment.Data(run.WithRunTokenizer(config), progress);
}
