// PyTorch weights in and out, checked against PyTorch 1.13 itself (/usr/bin/python3; skipped, with the reason, where it
// has no torch). In: scripts/parity/make_fixtures.py saves each reference model's state dict with torch.save (CASE.pt)
// and as safetensors; model.init_from loads it (names detected as PyTorch's and mapped) and our forward must give the
// reference's outputs. Out: our model, with random weights, is written under PyTorch names as the export command
// writes it; scripts/parity/reference_forward.py loads it with load_state_dict(strict=True) into the reference model,
// whose outputs must be ours. Tolerance 1e-5 (max |Δ|), as in the parity tests.
using System.Diagnostics;
using Transformer.Engine;
using Transformer.Training.Checkpoints;
using Xunit.Abstractions;

namespace Transformer.Tests;

/// <summary>The make_fixtures.py cases these tests use, written once into a temporary folder (nothing without torch).</summary>
public sealed class PyTorchInteropFixture : IDisposable
{
    public static readonly string[] Cases = ["encoder_decoder_post_ln", "encoder_decoder_post_ln_tied", "decoder_only_padded_untied", "encoder_classifier_pre_ln_gelu"];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pytorch-interop-").FullName;

    public PyTorchInteropFixture()
    {
        if (PyTorch.Missing is null) PyTorch.Run("make_fixtures.py", [Directory, .. Cases]);
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>/usr/bin/python3 with torch, as the parity tests use it; a test needing it is skipped with the reason when it is missing.</summary>
internal static class PyTorch
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Why PyTorch cannot be run here, or null.</summary>
    public static string? Missing { get; } = Probe();

    public static string Run(string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "parity", script));
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in 2 minutes");
        }
        var log = stdout + stderr.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({process.ExitCode}):\n{log}");
        return log;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} is missing (scripts/test.sh installs python3-torch)";
        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import torch, numpy"]) { RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{Python} has no torch/numpy (scripts/test.sh installs python3-torch): {error.Trim().Split('\n')[^1]}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }
}

/// <summary>A fact skipped, with the reason, where /usr/bin/python3 has no torch.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (PyTorch.Missing is { } reason) Skip = reason;
    }
}

/// <summary>A theory skipped, with the reason, where /usr/bin/python3 has no torch.</summary>
public sealed class PyTorchTheoryAttribute : TheoryAttribute
{
    public PyTorchTheoryAttribute()
    {
        if (PyTorch.Missing is { } reason) Skip = reason;
    }
}

public class PyTorchInteropTests(PyTorchInteropFixture fixture, ITestOutputHelper output) : IClassFixture<PyTorchInteropFixture>
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string, string> CasesAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in PyTorchInteropFixture.Cases)
        {
            data.Add(c, "pt");
            data.Add(c, "safetensors");
        }
        return data;
    }

    [PyTorchTheory]
    [MemberData(nameof(CasesAndFormats))]
    public void A_state_dict_PyTorch_saved_initialises_our_model_to_the_same_outputs(string testCase, string format)
    {
        using var scope = NewDisposeScope();
        var weights = fixture.PathOf(testCase + (format == "pt" ? ".pt" : ".state.safetensors"));
        var config = ParityTests.ConfigFor(testCase) with { InitFrom = weights };
        using var model = Model.Build(config, seed: 7);
        var line = PretrainedWeights.Apply(config, model);
        output.WriteLine(line!.ToString());
        Assert.StartsWith($"init_from {weights}: {model.state_dict().Count} tensors copied (PyTorch names; ", line.ToString());

        using var reference = Safetensors.Load(fixture.PathOf(testCase + ".safetensors"));
        AssertSameOutputs(model, reference, reference);
    }

    [PyTorchFact]
    public void Weights_exported_under_PyTorch_names_load_strictly_into_the_reference_and_give_our_outputs()
    {
        // Every case and format in one run of the script: importing torch takes seconds.
        using var scope = NewDisposeScope();
        var exports = new List<(string Case, string Format, nn.Module Model, string Outputs)>();
        var arguments = new List<string>();
        foreach (var (testCase, format) in CasesAndFormats().Select(row => ((string)row[0], (string)row[1])))
        {
            var config = ParityTests.ConfigFor(testCase);
            var model = Model.Build(config, seed: 11);
            Perturb(model);
            var path = fixture.PathOf($"{testCase}.exported.{format}");
            var named = model.state_dict().ToDictionary(kv => PyTorchNames.ToPyTorch(config, kv.Key)!, kv => kv.Value);
            WeightsFile.Write(path, named, format == "pt" ? WeightsFormat.Pt : WeightsFormat.Safetensors, overwrite: true);
            var outputs = path + ".outputs.safetensors";
            exports.Add((testCase, format, model, outputs));
            arguments.AddRange([testCase, path, outputs]);
        }
        output.WriteLine(PyTorch.Run("reference_forward.py", arguments));

        foreach (var (testCase, format, model, outputs) in exports)
        {
            output.WriteLine($"{testCase}, {format}:");
            using var inputs = Safetensors.Load(fixture.PathOf(testCase + ".safetensors"));
            using var theirs = Safetensors.Load(outputs);
            AssertSameOutputs(model, inputs, theirs);
            model.Dispose();
        }
    }

    /// <summary>Biases and norms start at 0 and 1: random values make a swapped bias or norm show.</summary>
    private static void Perturb(nn.Module model)
    {
        using var _ = no_grad();
        var generator = new Generator(5);
        foreach (var p in model.parameters())
            if (p.dim() == 1) p.add_(randn(p.shape, generator: generator) * 0.1);
    }

    /// <summary>Our outputs on the fixture's inputs against the reference's (output.logits; output.memory too for an encoder–decoder).</summary>
    private void AssertSameOutputs(nn.Module model, SafetensorsFile inputs, SafetensorsFile expected)
    {
        using var _ = no_grad();
        model.eval();   // dropout is 0 in every case: eval and the reference's train mode compute the same
        Tensor Input(string name) => inputs["input." + name];
        Tensor logits;
        switch (model)
        {
            case EncoderDecoder m:
                var encoded = m.Encode(Input("source"));
                Check("memory", encoded.Memory, expected["output.memory"]);
                logits = m.Decode(Input("target"), encoded);
                break;
            case DecoderOnly m:
                logits = inputs.Tensors.ContainsKey("input.padding") ? m.forward(Input("tokens"), null, Input("padding")) : m.forward(Input("tokens"));
                break;
            case EncoderClassifier m:
                logits = m.forward(Input("tokens"));
                break;
            default:
                throw new InvalidOperationException(model.GetType().Name);
        }
        Check("logits", logits, expected["output.logits"]);
    }

    private void Check(string what, Tensor ours, Tensor theirs)
    {
        Assert.Equal(theirs.shape, ours.shape);
        var diff = (ours - theirs).abs().max().item<float>();
        output.WriteLine($"{what}: max |Δ| = {diff:E2}");
        Assert.True(diff <= Tolerance, $"{what}: max |Δ| = {diff:E3} > {Tolerance:E0}");
    }
}
