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

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, interruptible: false, args);

    /// <summary>Starts the CLI; <paramref name="interruptible"/> makes sure it can receive SIGINT. A shell starts a
    /// background job (`./scripts/test.sh &amp;`) with SIGINT ignored, children inherit that, and .NET then leaves the
    /// signal ignored, as a background process should; such a test run re-enables it through a Python exec.</summary>
    public static Process Start(string workingDirectory, bool interruptible, params string[] args)
    {
        var reset = interruptible && SigIntIgnored() && File.Exists(Python);
        var info = new ProcessStartInfo(reset ? Python : Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (reset)
            foreach (var a in new[] { "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])", Executable, Executable })
                info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the CLI");
    }

    private const string Python = "/usr/bin/python3";

    /// <summary>Whether this process ignores SIGINT (SigIgn of /proc/self/status, bit 1).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 2) != 0;
    }

    public static Result Run(string workingDirectory, params string[] args) => RunWith(new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>Runs the CLI with these environment variables set (PATH without a program, say).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Executable) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the CLI");
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
