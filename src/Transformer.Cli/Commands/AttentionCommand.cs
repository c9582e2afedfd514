// transformer attention CHECKPOINT --input TEXT [--target TEXT] [--output DIR] [--json] [--max-len N]: every layer's
// and head's attention weights on one example, from the checkpoint's real forward pass, as a PNG grid per layer and
// one self-contained HTML page (or, with --json, the raw weights on stdout). Encoder-decoders first decode the output
// greedily (or take --target) and then run one teacher-forced pass over input and output.
using System.CommandLine;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Models.Decoding;
using Transformer.Text;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using Transformer.Visualization;
using static TorchSharp.torch;

namespace Transformer.Cli.Commands;

internal static class AttentionCommand
{
    public const string PageFile = "attention.html";

    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory (RUN/checkpoints/step-N), or a run directory for its best checkpoint" };
        var input = new Option<string?>("--input") { Description = "The input text", Required = true };
        var target = new Option<string?>("--target")
        {
            Description = "Encoder-decoders: the output to attend over (default: the model's own greedy output)",
        };
        var output = new Option<string?>("--output") { Description = "Where the PNGs and attention.html go (default: RUN/attention)" };
        var json = new Option<bool>("--json") { Description = "Print the weights as one JSON object instead of writing images" };
        var maxLength = new Option<int>("--max-len") { Description = "Longest greedy output in tokens", DefaultValueFactory = _ => 64 };
        var command = new Command("attention", "Show every layer's and head's attention weights on one input (PNG heatmaps, an HTML page, or JSON).")
        {
            checkpoint, input, target, output, json, maxLength,
        };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(input)!, parse.GetValue(target), parse.GetValue(output),
            parse.GetValue(json), parse.GetValue(maxLength)));
        return command;
    }

    private static int Run(string checkpoint, string input, string? target, string? output, bool json, int maxLength)
    {
        input = input.Trim();
        if (input.Length == 0) throw new CliException("--input: empty input");
        if (target is not null && target.Trim().Length == 0) throw new CliException("--target: empty target");
        if (maxLength < 1) throw new CliException($"--max-len must be at least 1, got {maxLength}");
        if (json && output is not null) throw new CliException("--json prints the weights instead of writing files; give --json or --output");
        (var run, checkpoint) = RunDirectory.OfCheckpointOrRun(checkpoint);
        var config = run.LoadConfig();
        using var precision = MatmulPrecision.Use(config.Training.Precision);   // the run's training.precision
        Checkpoint.CheckComplete(checkpoint);
        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        model.eval();
        if (target is not null && model is not EncoderDecoder)
            throw new CliException($"--target applies to encoder-decoder models; this checkpoint holds a {model.GetType().Name}");
        var (set, outputText) = Capture(run, config, model, input, target, maxLength);
        if (json)
        {
            Console.WriteLine(AttentionPage.Json(set));
            return ExitCodes.Success;
        }
        var directory = output ?? Path.Combine(run.Path, "attention");
        var title = $"Attention of {Path.GetFileName(run.Path)} ({Path.GetFileName(checkpoint)}) on “{input}”" + (outputText is null ? "" : $" → “{outputText}”");
        Write(directory, set, title);
        if (outputText is not null) Console.WriteLine($"output: {outputText}");
        Console.WriteLine($"wrote {set.Layers.Count} heatmap{(set.Layers.Count == 1 ? "" : "s")} (PNG) and {PageFile} to {directory}");
        return ExitCodes.Success;
    }

    /// <summary>The attention of <paramref name="model"/> (in eval mode) on one input: encoder-decoders over
    /// <paramref name="target"/>, or their greedy output when null (returned as text).</summary>
    internal static (AttentionSet set, string? output) Capture(RunDirectory run, ExperimentConfig config, nn.Module model, string input,
        string? target, int maxLength)
    {
        var text = ExampleText.Of(config, run);
        var maxPositions = config.Model.MaxPositions;

        var source = text.Encode(input, "--input");
        long[]? decoderInput = null;
        switch (model)
        {
            case EncoderDecoder m:
                if (text.Start < 0) throw new CliException($"{run.Path}: the tokenizer has neither <bos> nor <eos> to start the decoder with");
                source = [.. source, .. text.SourceEnd];
                var produced = target is not null ? text.Encode(target.Trim(), "--target")
                    : Greedy(m, source, text.Start, text.End, Math.Min(maxLength, maxPositions - 1));
                decoderInput = [text.Start, .. produced];
                break;
            case EncoderClassifier or EncoderMlm:
                source = [.. text.ClassifierStart, .. source];       // as training and `generate` see it
                break;
        }
        if (source.Length > maxPositions) throw new CliException($"--input: {source.Length} tokens; the model's max_positions is {maxPositions}");
        if (decoderInput?.Length > maxPositions)
            throw new CliException($"--target: {decoderInput.Length - 1} tokens; the model's max_positions is {maxPositions}");

        var set = AttentionCapture.Run(model, source, source.Select(text.Token).ToArray(), decoderInput, decoderInput?.Select(text.Token).ToArray());
        return (set, decoderInput is null ? null : text.Decode(decoderInput[1..]));
    }

    private static long[] Greedy(EncoderDecoder model, long[] source, long start, long? end, int maxLength)
    {
        using var scope = NewDisposeScope();
        using var stepper = new EncoderDecoderStepper(model, tensor(source, new long[] { 1, source.Length }), start);
        return GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = maxLength, Eos = end })[0].Tokens;
    }

    private static void Write(string directory, AttentionSet set, string title)
    {
        var path = directory;
        try
        {
            Directory.CreateDirectory(directory);
            foreach (var layer in set.Layers)
            {
                path = Path.Combine(directory, layer.Slug + ".png");
                File.WriteAllBytes(path, AttentionMaps.Png(set, layer));
            }
            path = Path.Combine(directory, PageFile);
            File.WriteAllText(path, AttentionPage.Page(set, title));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw EnvironmentException.FileSystem(path, "write", e);
        }
    }

    /// <summary>The one place this command meets tokens: the built-in experiment's letters, or the run's tokenizer.json.
    /// SourceEnd is appended to encoder-decoder sources, Start begins every decoder input, End stops decoding.</summary>
    private sealed record ExampleText(Func<string, long[]> EncodeText, Func<long, string> Token, Func<long[], string> Decode,
        long Start, long? End, long[] SourceEnd, long[] ClassifierStart)
    {
        public long[] Encode(string text, string option)
        {
            try
            {
                var ids = EncodeText(text);
                return ids.Length > 0 ? ids : throw new CliException($"{option}: the text encodes to no tokens");
            }
            catch (Exception e) when (e is ArgumentException or UnknownTokenException)
            {
                throw new CliException($"{option}: {e.Message}");
            }
        }

        public static ExampleText Of(ExperimentConfig config, RunDirectory run)
        {
            if (config.Data.Builtin == "reverse")
                return new ExampleText(t => [.. SequenceReversal.Encode(t).Select(i => (long)i)],
                    id => id switch { SequenceReversal.Bos => "<s>", SequenceReversal.Eos => "</s>", SequenceReversal.Pad => "<pad>", _ => SequenceReversal.Decode([(int)id]) },
                    ids => SequenceReversal.Decode(ids.Select(i => (int)i)),
                    SequenceReversal.Bos, SequenceReversal.Eos, [], []);
            var tokenizer = run.LoadTokenizer(config);
            long? eos = tokenizer.EosId;
            var start = tokenizer.BosId ?? tokenizer.EosId;
            return new ExampleText(t => [.. tokenizer.Encode(t).Select(i => (long)i)],
                id => tokenizer.IdToToken((int)id),
                ids => tokenizer.Decode(ids.Select(i => (int)i)),
                start ?? -1, eos, eos is { } e ? [e] : [], tokenizer.BosId is { } b ? [b] : []);
        }
    }
}
