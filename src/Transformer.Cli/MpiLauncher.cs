// `train --nproc N`: starts the same command as N ranks on this host through Open MPI's mpirun (which must
// be on PATH), so that `transformer train --nproc 2` and `mpirun -np 2 transformer train` run the same code.
// The ranks' own error lines pass through once each; mpirun's boxed reports become one line naming the lost rank.
using System.Diagnostics;
using Transformer.Distributed;

namespace Transformer.Cli;

internal static class MpiLauncher
{
    public const string Install = "install Open MPI (apt-get install openmpi-bin libopenmpi-dev)";

    /// <summary>Runs this command again under `mpirun -np <paramref name="ranks"/>`, without --nproc; returns mpirun's exit code.</summary>
    public static int Relaunch(int ranks)
    {
        var mpirun = Find("mpirun") ?? throw new CliException($"--nproc {ranks} needs mpirun, which is not on PATH: {Install}");
        var info = new ProcessStartInfo(mpirun) { UseShellExecute = false };
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
        var report = new MpirunReport(Console.Error);
        for (string? line; (line = process.StandardError.ReadLine()) is not null;) report.Add(line);
        process.WaitForExit();
        return report.Finish(process.ExitCode, ranks);
    }

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
