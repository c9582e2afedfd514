// transformer evaluate CHECKPOINT [--split valid|test] [--json]
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli.Commands;

internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory, e.g. RUN/checkpoints/best" };
        var split = new Option<string>("--split") { Description = "valid or test", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("valid", "test");
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the metrics" };
        var command = new Command("evaluate", "Evaluate a checkpoint on a data split.") { checkpoint, split, json };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(split)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string checkpoint, string split, bool json)
    {
        var run = RunDirectory.OfCheckpoint(checkpoint);
        var config = run.LoadConfig();
        Checkpoint.CheckComplete(checkpoint);
        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        var metrics = new Dictionary<string, double>();
        if (config.Data.Builtin == "reverse" && model is EncoderDecoder seq2seq)
        {
            var data = new SequenceReversal(config.Seed, config.Training.BatchTokens);
            var examples = split == "test" ? data.Test : data.ValidationExamples;
            var teacherForced = Evaluator.Evaluate(model, examples.Chunk(256).Select(SequenceReversal.Batch), prefix: "");
            foreach (var (k, v) in teacherForced) metrics[k] = v;
            metrics["exact_match"] = SequenceReversal.ExactMatch(seq2seq, examples);
        }
        else
        {
            using var source = (PreparedBatchSource)Experiment.Data(config, progress: Console.Error);   // stdout stays pure JSON
            foreach (var (k, v) in Evaluator.Evaluate(model, source.Split(split), prefix: "")) metrics[k] = v;
        }
        if (json) Console.WriteLine(JsonSerializer.Serialize(metrics));
        else
            foreach (var (name, value) in metrics)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-16} {value:G6}"));
        return ExitCodes.Success;
    }
}
