// Runs scripts/parity/make_fixtures.py (PyTorch 1.13.1 reference models, /usr/bin/python3) once for the
// parity tests, into a temporary folder that is deleted afterwards; and maps PyTorch parameter names to
// ours (the table in docs/parity.md).
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Transformer.Tests;

public sealed class ParityFixture : IDisposable
{
    private const string Python = "/usr/bin/python3";

    public string Directory { get; }

    /// <summary>What the script printed (one line per case).</summary>
    public string Log { get; }

    public ParityFixture()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: the parity tests need it, with torch 1.13 and numpy");
        Directory = System.IO.Directory.CreateTempSubdirectory("parity-fixtures-").FullName;
        var script = Path.Combine(RepositoryRoot.Path, "scripts", "parity", "make_fixtures.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Directory);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("make_fixtures.py did not finish in 2 minutes");
        }
        Log = stdout + stderr.Result;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"make_fixtures.py failed ({process.ExitCode}):\n{Log}");
    }

    public string PathOf(string testCase)
    {
        var path = Path.Combine(Directory, testCase + ".safetensors");
        Assert.True(File.Exists(path), $"make_fixtures.py wrote no {path}:\n{Log}");
        return path;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>PyTorch reference parameter names → our parameter names (docs/parity.md).</summary>
public static class ParityNames
{
    private static readonly Regex FeedForward = new(@"(^|\.)layers\.(\d+)\.(linear[12])\.", RegexOptions.CultureInvariant);

    public static string ToOurs(string kind, string torchName)
    {
        var name = kind switch
        {
            "EncoderDecoder" => torchName switch
            {
                "src_embed.weight" => "source_embed.weight",
                "tgt_embed.weight" => "target_embed.weight",
                "output_proj.weight" => "output_projection.weight",
                // nn.Transformer's encoder/decoder become our top-level encoder/decoder stacks.
                _ when torchName.StartsWith("transformer.encoder.", StringComparison.Ordinal)
                    || torchName.StartsWith("transformer.decoder.", StringComparison.Ordinal) => torchName["transformer.".Length..],
                _ => throw Unknown(kind, torchName),
            },
            // embed, decoder (nn.TransformerEncoder as the causal body), lm_head: same names.
            "DecoderOnly" => torchName.Split('.')[0] is "embed" or "decoder" or "lm_head" ? torchName : throw Unknown(kind, torchName),
            // embed, encoder (nn.TransformerEncoder), classifier: same names.
            "EncoderClassifier" => torchName.Split('.')[0] is "embed" or "encoder" or "classifier" ? torchName : throw Unknown(kind, torchName),
            // embed, encoder, mlm_head (dense, norm, bias, output): same names.
            "EncoderMlm" => torchName.Split('.')[0] is "embed" or "encoder" or "mlm_head" ? torchName : throw Unknown(kind, torchName),
            _ => throw new ArgumentException($"unknown model kind '{kind}'", nameof(kind)),
        };
        // nn.TransformerEncoderLayer/DecoderLayer keep linear1/linear2 on the layer; ours nest them in feed_forward.
        return FeedForward.Replace(name, "$1layers.$2.feed_forward.$3.");
    }

    private static ArgumentException Unknown(string kind, string torchName) =>
        new($"no mapping for PyTorch parameter '{torchName}' of a {kind} reference", nameof(torchName));
}
