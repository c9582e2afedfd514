// Runs the built `transformer` command as a separate process, as a user would.
using System.Diagnostics;

namespace Transformer.Cli.Tests;

internal static class Cli
{
    /// <summary>The CLI's executable, built next to this test assembly by the project reference.</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "Transformer.Cli");

    /// <summary>The checkout (where Transformer.sln is), for the scripts under scripts/.</summary>
    public static string RepositoryRoot => Transformer.Tests.RepositoryRoot.Path;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Process Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the CLI");
    }

    public static Result Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"transformer {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>--set overrides that make the built-in experiment tiny and fast.</summary>
    public static readonly string[] TinyReversal =
    {
        "--set", "model.d_model=16", "--set", "model.heads=2", "--set", "model.d_ff=32", "--set", "model.encoder_layers=1",
        "--set", "model.decoder_layers=1", "--set", "training.batch_tokens=170", "--set", "training.log_every=1",
        "--set", "training.eval_every=4", "--set", "checkpoint.every=4", "--set", "training.schedule.warmup_steps=2",
    };
}
