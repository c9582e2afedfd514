// `train --nproc N`: starts the same command as N ranks on this host through Open MPI's mpirun (which must
// be on PATH), so that `transformer train --nproc 2` and `mpirun -np 2 transformer train` run the same code.
// The ranks' own error lines pass through once each; mpirun's boxed reports become one line naming the lost rank.
// mpirun runs in a session of its own (setsid), so the terminal's Ctrl+C reaches this process alone, which turns
// it into SIGUSR1 for mpirun to forward to every rank: they finish the step together, rank 0 saves a checkpoint,
// and the command exits 130 as a single-process run does. A second Ctrl+C stops the job (SIGTERM), a third kills it.
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Transformer.Distributed;

namespace Transformer.Cli;

internal static class MpiLauncher
{
    public const string Install = "install Open MPI (apt-get install openmpi-bin libopenmpi-dev)";

    /// <summary>Runs this command again under `mpirun -np <paramref name="ranks"/>`, without --nproc; returns mpirun's exit code.</summary>
    public static int Relaunch(int ranks)
    {
        var mpirun = Find("mpirun") ?? throw new CliException($"--nproc {ranks} needs mpirun, which is not on PATH: {Install}");
        var setsid = Find("setsid");
        var info = new ProcessStartInfo(setsid ?? mpirun) { UseShellExecute = false };
        if (setsid is not null) info.ArgumentList.Add(mpirun);
        foreach (var a in new[] { "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe", "--bind-to", "none" })
            info.ArgumentList.Add(a);
        // Open MPI refuses to start as root unless told twice (containers run as root).
        if (Environment.UserName == "root")
        {
            info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        var self = Environment.ProcessPath ?? throw new CliException("cannot tell which program to start under mpirun");
        info.ArgumentList.Add(self);
        var arguments = Environment.GetCommandLineArgs();
        // Started as `dotnet Transformer.Cli.dll`: the first argument is the assembly.
        var skip = Path.GetFileNameWithoutExtension(self) == "dotnet" ? 0 : 1;
        foreach (var a in WithoutNproc(arguments.Skip(skip))) info.ArgumentList.Add(a);
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new CliException($"could not start {mpirun}");
        using var forwarding = Forward(process.Id);
        var report = new MpirunReport(Console.Error);
        for (string? line; (line = process.StandardError.ReadLine()) is not null;) report.Add(line);
        process.WaitForExit();
        return report.Finish(process.ExitCode, ranks);
    }

    /// <summary>Whether this `train` command starts mpirun rather than training (--nproc above 1 outside mpirun).</summary>
    public static bool Relaunches(ParseResult parse) =>
        parse.CommandResult.Command.Name == "train" && !MpiCommunicator.Launched && parse.GetValue<int?>("--nproc") is > 1;

    private const int SigUsr1 = 10, SigTerm = 15, SigKill = 9;

    /// <summary>The user's Ctrl+C (or a SIGTERM) for the job: the first asks the ranks to finish the step and save
    /// (SIGUSR1, which mpirun forwards), the second stops them (SIGTERM), any later one kills mpirun.</summary>
    private static IDisposable Forward(int mpirun)
    {
        var received = 0;
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            var count = Interlocked.Increment(ref received);
            if (count == 1)
                Console.Error.WriteLine($"transformer: {context.Signal}: the ranks finish the step and save a checkpoint (again to stop them at once)");
            kill(mpirun, count switch { 1 => SigUsr1, 2 => SigTerm, _ => SigKill });
        })).ToArray();
        return new Registrations(registrations);
    }

    private sealed class Registrations(PosixSignalRegistration[] all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in all) registration.Dispose();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>The arguments without --nproc N (or --nproc=N).</summary>
    internal static IEnumerable<string> WithoutNproc(IEnumerable<string> arguments)
    {
        var skipNext = false;
        foreach (var a in arguments)
        {
            if (skipNext) { skipNext = false; continue; }
            if (a == "--nproc") { skipNext = true; continue; }
            if (a.StartsWith("--nproc=", StringComparison.Ordinal)) continue;
            yield return a;
        }
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Checks --nproc against how this process was started: relaunch (a number of ranks above 1 outside
    /// mpirun), null (run here).</summary>
    public static int? Ranks(int? nproc)
    {
        if (nproc is null) return null;
        if (nproc < 1) throw new CliException($"--nproc {nproc}: expected a number of processes of at least 1");
        if (MpiCommunicator.Launched)
        {
            var size = int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE"), out var n) ? n : nproc.Value;
            if (size != nproc) throw new CliException($"--nproc {nproc} under mpirun with {size} processes: drop --nproc, mpirun -np decides");
            return null;
        }
        return nproc == 1 ? null : nproc;
    }
}
