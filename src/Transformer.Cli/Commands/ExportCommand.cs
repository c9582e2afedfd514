// transformer export CHECKPOINT_OR_RUN --format pt|safetensors [--output FILE] [--names ours|pytorch] [--force]: a
// checkpoint's model weights as one file PyTorch reads — torch.load for .pt, safetensors for .safetensors — under our
// names or under the torch.nn.Transformer-shaped reference's (docs/parity.md), which load_state_dict(strict=True) takes.
using System.CommandLine;
using Transformer.Models;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("checkpoint") { Description = "A checkpoint directory, or a run directory (its best checkpoint, else its latest)" };
        var format = new Option<string?>("--format") { Description = "pt (torch.save's format) or safetensors; default: from --output's extension" };
        format.AcceptOnlyFromAmong("pt", "safetensors");
        var output = new Option<string?>("--output") { Description = "The file to write (default: RUN-CHECKPOINT.pt or .safetensors in the current directory)" };
        var names = new Option<string>("--names")
        {
            Description = "ours (our state_dict names) or pytorch (the torch.nn.Transformer-shaped reference's, docs/parity.md)",
            DefaultValueFactory = _ => "ours",
        };
        names.AcceptOnlyFromAmong("ours", "pytorch");
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists" };
        var command = new Command("export", "Write a checkpoint's model weights as a PyTorch state dict (.pt) or a safetensors file.")
        {
            target, format, output, names, force,
        };
        command.SetAction(parse => Run(parse.GetValue(target)!, parse.GetValue(format), parse.GetValue(output), parse.GetValue(names) == "pytorch",
            parse.GetValue(force)));
        return command;
    }

    private static int Run(string target, string? formatName, string? output, bool pytorchNames, bool force)
    {
        var format = formatName switch
        {
            "pt" => WeightsFormat.Pt,
            "safetensors" => WeightsFormat.Safetensors,
            _ => output is not null && WeightsFile.FormatOf(output) is { } inferred ? inferred
                : throw new CliException("--format pt|safetensors is needed (or an --output ending in .pt, .pth, .bin or .safetensors)"),
        };
        var (run, checkpoint) = RunDirectory.OfCheckpointOrRun(target);
        var config = run.LoadConfig().Model;
        if (pytorchNames && PyTorchNames.Incompatibility(config) is { } reason)
            throw new CliException($"--names pytorch: this model has no torch.nn.Transformer-shaped equivalent: {reason}; export with --names ours");
        var path = output ?? $"{Path.GetFileName(run.Path)}-{Path.GetFileName(checkpoint)}{(format == WeightsFormat.Pt ? ".pt" : ".safetensors")}";

        using var model = Model.Build(config);   // on the CPU; the checkpoint's weights replace the initial ones
        Checkpoint.LoadModel(checkpoint, model);
        var tensors = model.state_dict();
        var written = pytorchNames
            ? tensors.ToDictionary(kv => PyTorchNames.ToPyTorch(config, kv.Key) ?? throw new InvalidOperationException($"no PyTorch name for {kv.Key}"), kv => kv.Value)
            : tensors;
        WeightsFile.Write(path, written, format, force);
        Console.WriteLine($"{path}: {written.Count} tensors of {Path.GetRelativePath(Environment.CurrentDirectory, checkpoint)}, "
            + $"{(pytorchNames ? "PyTorch" : "our")} names, {(format == WeightsFormat.Pt ? "torch.save format" : "safetensors")}");
        return ExitCodes.Success;
    }
}
