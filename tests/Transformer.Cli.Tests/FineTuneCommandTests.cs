// Fine-tuning as users meet it: `train` from another run's weights with training.freeze and pretrained_lr prints what
// it copied and how it groups the parameters, `info` shows where the run started from, and a bad freeze stops the
// run before its directory exists. FineTuneTests (Transformer.Tests) checks the tensors and the optimizer.
namespace Transformer.Cli.Tests;

public sealed class FineTuneCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-finetune-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void A_run_fine_tuned_from_another_reports_the_copy_and_the_groups_and_info_shows_it()
    {
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "pre", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        string[] fineTune = [.. Cli.TinyReversal, "--set", "training.max_steps=4", "--set", "model.init_from=pre",
            "--set", "model.init_modules=[source_embed, encoder]", "--set", "training.freeze=[encoder.layers.0.self_attn]",
            "--set", "training.optimizer.pretrained_lr=0.0005"];

        var tuned = Cli.Run(work, ["train", "--run-dir", "tuned", .. fineTune]);

        Assert.Equal(0, tuned.ExitCode);
        var lines = tuned.Stdout.Split('\n');
        Assert.Matches(@"^init_from pre: \d+ tensors of source_embed, encoder copied \([\d,]+ parameters\); \d+ tensors \([\d,]+ parameters\) keep their initialisation$", lines[0]);
        Assert.Matches(@"^frozen: 4 tensors \([\d,]+ parameters\); pretrained: \d+ tensors \([\d,]+ parameters\) at lr 0.0005; other: \d+ tensors \([\d,]+ parameters\) at lr 0.003$", lines[1]);
        var info = Cli.Run(work, "info", "tuned");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("\nstarted     from pre: ", info.Stdout);

        var typo = Cli.Run(work, ["train", "--run-dir", "typo", .. fineTune, "--set", "training.freeze=[encoder.layer.0]"]);
        Assert.Equal(2, typo.ExitCode);
        Assert.Equal("transformer: training.freeze: 'encoder.layer.0' — expected a module holding parameters: source_embed, encoder, decoder (or one inside them, such as encoder.layers.0)\n",
            typo.Stderr);
        Assert.False(Directory.Exists(Path.Combine(work, "typo")));
    }
}
