// transformer generate CHECKPOINT [--input TEXT | --input-file FILE] [--beam N] [--max-len N]
using System.CommandLine;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Models.Decoding;
using Transformer.Training.Checkpoints;
using static Transformer.Torch.torch;

namespace Transformer.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint directory, e.g. RUN/checkpoints/best" };
        var input = new Option<string?>("--input") { Description = "The text to transform" };
        var inputFile = new Option<FileInfo?>("--input-file") { Description = "A file with one input per line" };
        var beam = new Option<int>("--beam") { Description = "Beam size (1 = greedy)", DefaultValueFactory = _ => 1 };
        var maxLength = new Option<int>("--max-len") { Description = "Longest output in tokens", DefaultValueFactory = _ => 64 };
        var command = new Command("generate", "Generate outputs from a checkpoint.") { checkpoint, input, inputFile, beam, maxLength };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(input), parse.GetValue(inputFile), parse.GetValue(beam), parse.GetValue(maxLength)));
        return command;
    }

    private static int Run(string checkpoint, string? input, FileInfo? inputFile, int beam, int maxLength)
    {
        if ((input is null) == (inputFile is null)) throw new CliException("give exactly one of --input TEXT or --input-file FILE");
        if (beam < 1) throw new CliException($"--beam must be at least 1, got {beam}");
        if (maxLength < 1) throw new CliException($"--max-len must be at least 1, got {maxLength}");
        var lines = input is not null ? new[] { input } : File.ReadAllLines(inputFile!.FullName);
        var run = RunDirectory.OfCheckpoint(checkpoint);
        var config = run.LoadConfig();
        Checkpoint.CheckComplete(checkpoint);
        using var model = Experiment.BuildModel(config);
        Checkpoint.LoadModel(checkpoint, model);
        if (config.Data.Builtin != "reverse" || model is not EncoderDecoder seq2seq)
            throw new CliException("this version generates with the built-in experiment (data.builtin: reverse) only");
        seq2seq.eval();
        for (var n = 0; n < lines.Length; n++)
        {
            int[] ids;
            try
            {
                ids = SequenceReversal.Encode(lines[n].Trim());
            }
            catch (ArgumentException e)
            {
                throw new CliException($"{(inputFile is null ? "--input" : $"{inputFile.Name}:{n + 1}")}: {e.Message}");
            }
            if (ids.Length == 0) throw new CliException($"{(inputFile is null ? "--input" : $"{inputFile.Name}:{n + 1}")}: empty input");
            using var scope = NewDisposeScope();
            using var batch = SequenceReversal.Batch(new[] { ids });
            using var stepper = new EncoderDecoderStepper(seq2seq, batch.Source, SequenceReversal.Bos);
            var best = beam == 1
                ? GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = maxLength, Eos = SequenceReversal.Eos })[0]
                : BeamSearch.Decode(stepper, new BeamSearchOptions { BeamSize = beam, MaxLength = maxLength, Eos = SequenceReversal.Eos })[0][0];
            Console.WriteLine(SequenceReversal.Decode(best.Tokens.Select(t => (int)t)));
        }
        return ExitCodes.Success;
    }
}
