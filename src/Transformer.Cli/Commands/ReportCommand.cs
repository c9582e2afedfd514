// transformer report RUN [--output FILE] [--split test|valid] [--examples N] [--no-eval]: one self-contained HTML page
// about a run — what was trained (config, parameters), how it went (curves), where it ended (metrics of the
// reported checkpoint, measured as `evaluate` measures them), what it does (examples from the split) and how it
// attends (the attention maps of one example).
using System.CommandLine;
using System.Globalization;
using Transformer.Data.Batching;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Reporting;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using Transformer.Training.Plots;
using Transformer.Visualization;
using static TorchSharp.torch;

namespace Transformer.Cli.Commands;

internal static class ReportCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("run") { Description = "A run directory (its best checkpoint is reported), or a checkpoint directory" };
        var output = new Option<string?>("--output") { Description = "The HTML file to write (default RUN/report.html)" };
        var split = new Option<string>("--split") { Description = "The split the metrics and examples come from", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("valid", "test");
        var examples = new Option<int>("--examples") { Description = "How many examples to show", DefaultValueFactory = _ => 8 };
        var noEval = new Option<bool>("--no-eval") { Description = "Show the last validation metrics of metrics.jsonl instead of evaluating the checkpoint" };
        var command = new Command("report", "Write one self-contained HTML page about a run: config, curves, metrics, examples, attention.")
        {
            runDir, output, split, examples, noEval,
        };
        command.SetAction(parse => Run(parse.GetValue(runDir)!, parse.GetValue(output), parse.GetValue(split)!, parse.GetValue(examples), parse.GetValue(noEval)));
        return command;
    }

    private static int Run(string argument, string? output, string split, int count, bool noEval)
    {
        if (count < 0) throw new CliException($"--examples must be 0 or more, got {count}");
        var (run, checkpoint) = RunDirectory.OfCheckpointOrRun(argument);
        var curves = PlotCommand.Load([run.Path])[0];
        if (!curves.Train.TryGetValue("loss", out var losses) || losses.Count == 0)
            throw new CliException($"{Path.Combine(run.Path, MetricsLog.FileName)}: no training records (the run has not logged a step yet)");
        var config = run.LoadConfig();
        using var precision = MatmulPrecision.Use(config.Training.Precision);   // the run's training.precision
        CurveChart.CheckRenderer();
        var step = Path.GetFileName(checkpoint);
        var target = Path.GetFullPath(output ?? Path.Combine(run.Path, "report.html"));

        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        var parameters = Parameters(model);
        using var source = noEval && count == 0 ? null : EvaluateCommand.Source(run, config, Console.Error);   // read once

        IReadOnlyList<(string, double)> metrics;
        string metricsSource;
        if (noEval)
        {
            var last = curves.Valid.Values.Select(points => points[^1].Step).DefaultIfEmpty(-1).Max();
            metrics = [.. curves.Valid.Where(c => c.Value[^1].Step == last).Select(c => (c.Key, c.Value[^1].Value))];
            metricsSource = last < 0 ? "no validation recorded" : $"validation at step {last} (metrics.jsonl)";
        }
        else
        {
            Console.Error.WriteLine($"report: evaluating {step} on the {split} split");
            metrics = EvaluateCommand.Measure(run, config, model, source, split, beam: 1).metrics.Select(m => (m.Key, m.Value)).ToList();
            metricsSource = $"{split} split, checkpoint {step}, greedy decoding (as `transformer evaluate` measures)";
        }

        var examples = count == 0 ? [] : Examples(run, config, model, source, split, count);
        // The attention of the first example (its input as the examples show it; a classifier's cut text without "…").
        var attention = new List<ReportImage>();
        string? attentionSource = null;
        if (examples.Count > 0)
        {
            // A masked language model's input shows its mask tokens as text: its attention is shown on the original text.
            var input = (model is EncoderMlm ? examples[0].Reference! : examples[0].Input).TrimEnd('…');
            model.eval();
            var (set, produced) = AttentionCommand.Capture(run, config, model, input, target: null, Experiment.MaxGenerationLength);
            attention.AddRange(set.Layers.Select(layer => new ReportImage(layer.Title, AttentionMaps.Png(set, layer))));
            attentionSource = $"the first example, “{Shorter(input)}”" + (produced is null ? "" : $" → “{Shorter(produced)}”")
                + ": every layer's weights averaged over heads, then each head (rows: queries, columns: keys)";
        }
        var lastTrain = losses[^1];
        var facts = new List<(string, string)>
        {
            ("run", Path.GetFullPath(run.Path)),
            ("model", $"{Kind(model)}, d_model {config.Model.DModel}, {config.Model.Heads} heads, d_ff {config.Model.DFeedForward}"),
            ("parameters", parameters[0].Count.ToString("N0", CultureInfo.InvariantCulture)),
            ("checkpoint", step),
            ("steps trained", lastTrain.Step.ToString(CultureInfo.InvariantCulture)),
        };
        if (lastTrain.ElapsedSeconds is { } elapsed)
            facts.Add(("training time", TimeSpan.FromSeconds(elapsed).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)));

        var page = ReportPage.Render(new ReportContent
        {
            Title = $"{config.Name} — run report",
            Facts = facts,
            Metrics = metrics,
            Curves = [.. LearningCurves.Charts([curves]).Select(chart => new ReportImage(chart.Title, chart.Png()))],
            MetricsSource = metricsSource,
            Examples = examples,
            ExamplesSource = examples.Count == 0 ? null : model is EncoderMlm
                ? $"the first {examples.Count} rows of the {split} split (their first 48 tokens, masked as evaluation masks them), each chosen token predicted"
                : $"the first {examples.Count} examples of the {split} split, greedy decoding",
            Attention = attention,
            AttentionSource = attentionSource,
            Config = File.ReadAllText(run.ConfigPath),
            Parameters = parameters,
        });
        RunDirectory.WriteAtomically(target, page);
        Console.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, target));
        return ExitCodes.Success;
    }

    private static string Shorter(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string Kind(nn.Module model) => model switch
    {
        EncoderDecoder => "encoder-decoder",
        DecoderOnly => "decoder-only language model",
        EncoderClassifier => "encoder classifier",
        EncoderMlm => "masked language model (encoder)",
        _ => model.GetType().Name,
    };

    /// <summary>The total, then each module's count, two levels deep (encoder.layers, encoder.norm, source_embed).</summary>
    private static List<(string Module, long Count)> Parameters(nn.Module model)
    {
        var groups = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            total += parameter.numel();
            var parts = name.Split('.');
            var key = parts.Length > 2 ? $"{parts[0]}.{parts[1]}" : parts[0];       // decoder.layers, decoder.norm, source_embed
            groups[key] = groups.GetValueOrDefault(key) + parameter.numel();
        }
        return [("total", total), .. groups.Select(g => (g.Key, g.Value))];
    }

    private static IReadOnlyList<ReportExample> Examples(RunDirectory run, Configuration.ExperimentConfig config, nn.Module model,
        PreparedBatchSource? source, string split, int count)
    {
        if (source is null && model is EncoderDecoder reverse)
        {
            var data = new SequenceReversal(config.Seed, config.Training.BatchTokens);
            var rows = (split == "test" ? data.Test : data.ValidationExamples).Take(count).ToArray();
            return ModelExamples.EncoderDecoder(reverse, [SequenceReversal.Batch(rows)], count,
                (SequenceReversal.Pad, SequenceReversal.Bos, SequenceReversal.Eos), SequenceReversal.Decode, Experiment.MaxGenerationLength);
        }
        if (source is null) return [];
        var tokenizer = source.Tokenizer;
        var pad = tokenizer.PadId ?? 0;
        return model switch
        {
            EncoderDecoder m => ModelExamples.EncoderDecoder(m, source.Split(split).Cast<Seq2SeqBatch>(), count,
                (pad, tokenizer.BosId ?? tokenizer.EosId ?? 0, tokenizer.EosId ?? throw new CliException("the tokenizer has no <eos> token to end generation")),
                ids => tokenizer.Decode(ids), Experiment.MaxGenerationLength),
            DecoderOnly m => ModelExamples.DecoderOnly(m, source.Split(split).Cast<LanguageModelBatch>(), count, promptTokens: 16, continuationTokens: 24,
                ids => tokenizer.Decode(ids)),
            EncoderClassifier m => ModelExamples.Classifier(m, source.Split(split).Cast<ClassificationBatch>(), count,
                source.Labels ?? throw new CliException($"{run.Path}: the prepared data has no label names"), pad, ids => tokenizer.Decode(ids)),
            EncoderMlm m => ModelExamples.MaskedLanguageModel(m, source.Split(split).Cast<MaskedLanguageModelBatch>(), count,
                ids => tokenizer.Decode(ids), ids => tokenizer.Decode(ids, skipSpecialTokens: false)),
            _ => [],
        };
    }
}
