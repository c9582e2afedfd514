// transformer export and model.init_from as users meet them: files written once (unless --force), one-line refusals
// with exit code 2, and a run that starts from exported weights. PyTorchInteropTests (Transformer.Tests) checks the
// files against PyTorch itself.
namespace Transformer.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-export-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static void AssertOneLineError(Cli.Result result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void Export_writes_once_and_a_new_run_starts_from_the_exported_weights()
    {
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "a", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);

        var pt = Cli.Run(work, "export", "a", "--format", "pt");
        Assert.Equal(0, pt.ExitCode);
        Assert.Equal("a-step-4.pt: 36 tensors of a/checkpoints/step-4, our names, torch.save format\n", pt.Stdout);
        AssertOneLineError(Cli.Run(work, "export", "a", "--format", "pt"), "transformer: a-step-4.pt: already exists (pass --force to replace it)");
        Assert.Equal(0, Cli.Run(work, "export", "a/checkpoints/best", "--output", "a-step-4.pt", "--force").ExitCode);
        var torchNames = Cli.Run(work, "export", "a", "--output", "torch.safetensors", "--names", "pytorch");
        Assert.Equal(0, torchNames.ExitCode);
        Assert.Contains("PyTorch names, safetensors", torchNames.Stdout);
        AssertOneLineError(Cli.Run(work, "export", "a"), "--format pt|safetensors is needed");
        Assert.Equal(["a-step-4.pt", "torch.safetensors"], Directory.EnumerateFiles(work).Select(Path.GetFileName).Order());

        var started = Cli.Run(work, ["train", "--run-dir", "b", .. Cli.TinyReversal, "--set", "training.max_steps=4", "--set", "model.init_from=torch.safetensors",
            "--set", "model.init_modules=[encoder, source_embed]"]);
        Assert.Equal(0, started.ExitCode);
        Assert.StartsWith("init_from torch.safetensors: 15 tensors of encoder, source_embed copied (PyTorch names; ", started.Stdout);

        // On --resume the checkpoint wins: init_from is not read again (here it no longer exists).
        File.Delete(Path.Combine(work, "torch.safetensors"));
        var resumed = Cli.Run(work, "train", "--resume", "b", "--set", "training.max_steps=8");
        Assert.Equal(0, resumed.ExitCode);
        Assert.DoesNotContain("init_from", resumed.Stdout);
    }

    [Fact]
    public void Weights_that_do_not_fit_and_models_without_a_PyTorch_equivalent_are_one_line_refusals()
    {
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "a", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        Assert.Equal(0, Cli.Run(work, "export", "a", "--output", "a.pt").ExitCode);

        var wider = Cli.Run(work, ["train", "--run-dir", "wide", .. Cli.TinyReversal, "--set", "model.d_model=32", "--set", "model.init_from=a.pt"]);
        AssertOneLineError(wider, "transformer: a.pt: model.init_from does not fit this model: 34 tensors of another shape, e.g. source_embed.weight is [29, 16] in the file, [29, 32] in the model");
        Assert.False(Directory.Exists(Path.Combine(work, "wide")));
        AssertOneLineError(Cli.Run(work, ["train", "--run-dir", "x", .. Cli.TinyReversal, "--set", "model.init_from=a.pt", "--set", "model.init_modules=[embeddings]"]),
            "model.init_modules: 'embeddings' — expected a module of this model: source_embed, target_embed, encoder, decoder");

        // The same run with SwiGLU in its config: the reference's layers have no third feed-forward matrix.
        var config = Path.Combine(work, "a", "config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("activation: relu", "activation: swiglu", StringComparison.Ordinal));
        AssertOneLineError(Cli.Run(work, "export", "a", "--format", "pt", "--names", "pytorch"),
            "transformer: --names pytorch: this model has no torch.nn.Transformer-shaped equivalent: model.activation swiglu");
    }
}
