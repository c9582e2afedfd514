// transformer generate CHECKPOINT [--input TEXT | --input-file FILE [--document]] [--beam N] [--sample] [--temperature T]
// [--top-k K] [--top-p P] [--seed S] [--max-len N] [--no-repeat-ngram-size N]: sequence models print their output; classifiers print label + scores;
// masked language models print the input with each mask token filled in.
using System.CommandLine;
using System.Globalization;
using Transformer.Data.Corpora;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Models.Decoding;
using Transformer.Text;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using static TorchSharp.torch;

namespace Transformer.Cli.Commands;

internal static class GenerateCommand
{
    private sealed record Settings(int Beam, bool Sample, double Temperature, int? TopK, double? TopP, long? Seed, int MaxLength, int NoRepeatNgramSize);

    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory (RUN/checkpoints/step-N), or a run directory for its best checkpoint" };
        var input = new Option<string?>("--input") { Description = "The input text" };
        var inputFile = new Option<FileInfo?>("--input-file") { Description = "A file with one input per line" };
        var document = new Option<bool>("--document")
        {
            Description = "Read --input-file as one input: an e-mail message is decoded to its body text as the spam corpus was; other files have their whitespace collapsed",
        };
        var beam = new Option<int>("--beam") { Description = "Beam size (1 = greedy)", DefaultValueFactory = _ => 1 };
        var sample = new Option<bool>("--sample") { Description = "Sample instead of searching" };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int?>("--top-k") { Description = "Sample from the k most likely tokens" };
        var topP = new Option<double?>("--top-p") { Description = "Sample from the smallest set with probability ≥ p" };
        var seed = new Option<long?>("--seed")
        {
            Description = "Random seed of --sample; each input is sampled from this seed (default: libtorch's fixed initial seed, so a repeated command repeats its sample)",
        };
        var maxLength = new Option<int>("--max-len") { Description = "Longest output in tokens", DefaultValueFactory = _ => 64 };
        var noRepeat = new Option<int>("--no-repeat-ngram-size") { Description = "No n-gram of this many tokens twice in an output (0: no restriction)" };
        var command = new Command("generate", "Generate from a checkpoint (classifiers: label and scores).")
        {
            checkpoint, input, inputFile, document, beam, sample, temperature, topK, topP, seed, maxLength, noRepeat,
        };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(input), parse.GetValue(inputFile), parse.GetValue(document), new Settings(
            parse.GetValue(beam), parse.GetValue(sample), parse.GetValue(temperature), parse.GetValue(topK), parse.GetValue(topP), parse.GetValue(seed), parse.GetValue(maxLength),
            parse.GetValue(noRepeat))));
        return command;
    }

    private static int Run(string checkpoint, string? input, FileInfo? inputFile, bool document, Settings settings)
    {
        if ((input is null) == (inputFile is null)) throw new CliException("give exactly one of --input TEXT or --input-file FILE");
        if (document && inputFile is null) throw new CliException("--document reads --input-file as one input; give --input-file FILE");
        if (inputFile is not null && !inputFile.Exists) throw new CliException($"{inputFile.FullName}: no such file");
        if (settings.Beam < 1) throw new CliException($"--beam must be at least 1, got {settings.Beam}");
        if (settings.MaxLength < 1) throw new CliException($"--max-len must be at least 1, got {settings.MaxLength}");
        if (settings.NoRepeatNgramSize < 0) throw new CliException($"--no-repeat-ngram-size must be 0 (off) or at least 1, got {settings.NoRepeatNgramSize}");
        if (settings.Sample && settings.Beam > 1) throw new CliException("--sample and --beam are alternatives; give one");
        if (settings.Seed is not null && !settings.Sample) throw new CliException("--seed only applies to --sample");
        if (!(settings.Temperature > 0 && double.IsFinite(settings.Temperature)))
            throw new CliException($"--temperature must be positive and finite, got {settings.Temperature.ToString(CultureInfo.InvariantCulture)}");
        if (settings.TopK is < 1) throw new CliException($"--top-k must be at least 1, got {settings.TopK}");
        if (settings.TopP is { } p && !(p > 0 && p <= 1)) throw new CliException($"--top-p must be in (0, 1], got {p.ToString(CultureInfo.InvariantCulture)}");
        if (!settings.Sample && (settings.TopK is not null || settings.TopP is not null || settings.Temperature != 1.0))
            throw new CliException("--temperature, --top-k and --top-p only apply to --sample");
        (var run, checkpoint) = RunDirectory.OfCheckpointOrRun(checkpoint);
        var config = run.LoadConfig();
        using var precision = MatmulPrecision.Use(config.Training.Precision);   // the run's training.precision
        string[] lines;
        try
        {
            lines = input is not null ? [input]
                : document ? [DocumentText.FromFile(inputFile!.FullName, config.Data.IncludeSubject)]
                : File.ReadAllLines(inputFile!.FullName);
        }
        catch (CorpusFormatException e)
        {
            throw new CliException(e.Message);
        }
        string Where(int n) => inputFile is null ? "--input" : document ? inputFile.Name : $"{inputFile.Name}:{n + 1}";
        Checkpoint.CheckComplete(checkpoint);
        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        model.eval();
        var builtin = config.Data.Builtin == "reverse";
        var tokenizer = builtin ? null : run.LoadTokenizer(config);
        for (var n = 0; n < lines.Length; n++)
        {
            var text = lines[n].Trim();
            if (text.Length == 0) throw new CliException($"{Where(n)}: empty input");
            long[] ids;
            try
            {
                ids = (builtin ? SequenceReversal.Encode(text) : tokenizer!.Encode(text)).Select(i => (long)i).ToArray();
            }
            catch (Exception e) when (e is ArgumentException or UnknownTokenException)
            {
                throw new CliException($"{Where(n)}: {e.Message}");
            }
            // Outputs stop where the positional encoding ends (decoder-only prompts count against it too).
            var room = model is EncoderClassifier or EncoderMlm ? 1 : config.Model.MaxPositions - (model is DecoderOnly ? ids.Length : 1);
            if (room < 1) throw new CliException($"{Where(n)}: the input has {ids.Length} tokens; the model's max_positions is {config.Model.MaxPositions}");
            var limited = settings with { MaxLength = Math.Min(settings.MaxLength, room) };
            using var scope = NewDisposeScope();
            Console.WriteLine(model switch
            {
                EncoderDecoder m when builtin => SequenceReversal.Decode(Decode(new EncoderDecoderStepper(m, Row(ids), SequenceReversal.Bos), SequenceReversal.Eos, limited).Select(t => (int)t)),
                EncoderDecoder m => tokenizer!.Decode(Decode(new EncoderDecoderStepper(m, Row([.. ids, Eos(tokenizer)]), tokenizer.BosId ?? Eos(tokenizer)), Eos(tokenizer), limited).Select(t => (int)t)),
                DecoderOnly m => tokenizer!.Decode(ids.Concat(Decode(DecoderOnlyStepper.Create(m, [ids]), tokenizer.EosId, limited)).Select(t => (int)t)),
                EncoderClassifier m => Classify(m, tokenizer!, ids, run),
                EncoderMlm m => FillMasks(m, tokenizer!, text, Where(n)),
                _ => throw new CliException($"cannot generate with a {model.GetType().Name}"),
            });
        }
        return ExitCodes.Success;
    }

    private static Tensor Row(long[] ids) => tensor(ids, new long[] { 1, ids.Length });

    private static long Eos(TextTokenizer tokenizer) => tokenizer.EosId ?? throw new CliException("the tokenizer has no <eos> token to end generation");

    private static long[] Decode(IDecoderStep stepper, long? eos, Settings s)
    {
        using (stepper)
        {
            if (s.Sample)
                return Sampler.Decode(stepper, new SamplingOptions
                {
                    MaxLength = s.MaxLength, Eos = eos, NoRepeatNgramSize = s.NoRepeatNgramSize, Temperature = s.Temperature, TopK = s.TopK, TopP = s.TopP, Seed = s.Seed,
                })[0].Tokens;
            if (s.Beam > 1)
                return BeamSearch.Decode(stepper, new BeamSearchOptions { BeamSize = s.Beam, MaxLength = s.MaxLength, Eos = eos, NoRepeatNgramSize = s.NoRepeatNgramSize })[0][0].Tokens;
            return GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = s.MaxLength, Eos = eos, NoRepeatNgramSize = s.NoRepeatNgramSize })[0].Tokens;
        }
    }

    /// <summary>The input with every mask token (written as the tokenizer's, e.g. &lt;mask&gt;) replaced by the model's
    /// most likely token there. The row starts with BOS, as the pre-training rows did; the space before a mask belongs
    /// to the predicted token, as byte-level BPE tokens carry their leading space.</summary>
    private static string FillMasks(EncoderMlm model, TextTokenizer tokenizer, string text, string where)
    {
        var mask = tokenizer.MaskId ?? throw new CliException("the tokenizer has no mask token (tokenizer.special_tokens.mask)");
        var maskToken = tokenizer.IdToToken(mask);
        var pieces = text.Split(maskToken);
        if (pieces.Length == 1) throw new CliException($"{where}: no {maskToken} to fill in (write {maskToken} where a token is to be predicted)");
        var ids = new List<long>();
        if (tokenizer.BosId is { } bos) ids.Add(bos);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0) ids.Add(mask);
            var piece = i + 1 < pieces.Length ? pieces[i].TrimEnd() : pieces[i];
            ids.AddRange(tokenizer.Encode(piece).Select(id => (long)id));
        }
        if (ids.Count > model.Config.MaxPositions)
            throw new CliException($"{where}: the input has {ids.Count} tokens; the model's max_positions is {model.Config.MaxPositions}");
        using var logits = model.forward(Row([.. ids]));                                  // (1, T, V)
        using var best = logits.select(0, 0).argmax(-1);                                   // (T)
        var predicted = best.data<long>().ToArray();
        return tokenizer.Decode(ids.Select((id, i) => (int)(id == mask ? predicted[i] : id)));
    }

    private static string Classify(EncoderClassifier model, TextTokenizer tokenizer, long[] ids, RunDirectory run)
    {
        long[] row = tokenizer.BosId is { } bos ? [bos, .. ids] : ids;
        // Training cut texts to max_positions tokens (BOS included); so does classification here.
        if (row.Length > model.Config.MaxPositions) row = row[..model.Config.MaxPositions];
        using var logits = model.forward(Row(row));
        using var probabilities = nn.functional.softmax(logits, -1);
        var scores = probabilities.data<float>().ToArray();
        var labelsPath = Path.Combine(run.Path, "labels.txt");
        var labels = File.Exists(labelsPath) ? File.ReadAllLines(labelsPath) : Enumerable.Range(0, scores.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var best = Array.IndexOf(scores, scores.Max());
        return $"{labels[best]}\t" + string.Join(" ", scores.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{labels[i]}={p:F4}")));
    }
}
