// What the user sees of mpirun's stderr under `train --nproc N`: each rank's lines as they come (a line every
// rank prints alike, such as one config error, once), and instead of mpirun's boxed multi-line reports one
// line that names the rank that was lost, e.g. when a rank is killed and mpirun stops the others.
using System.Text.RegularExpressions;

namespace Transformer.Cli;

internal sealed partial class MpirunReport(TextWriter stderr)
{
    private readonly HashSet<string> printed = [];
    private readonly List<string> boxed = [];
    private readonly List<string> held = [];
    private bool inBox;

    public void Add(string line)
    {
        if (line.Length > 0 && line.All(c => c == '-'))
        {
            inBox = !inBox;
            return;
        }
        if (inBox) boxed.Add(line);
        // The launcher has said what the forwarded Ctrl+C does.
        else if (line.StartsWith("mpirun: Forwarding signal", StringComparison.Ordinal)) return;
        // mpirun stops the survivors of a lost rank with SIGTERM, and their MPI library may report the broken connection
        // ("[host][[job,0],1][btl_tcp…] … Connection reset by peer"): both are shown only when no rank was lost.
        else if (line.StartsWith("transformer: SIGTERM", StringComparison.Ordinal) || line.StartsWith('[')) held.Add(line);
        else if (printed.Add(line)) stderr.WriteLine(line);
    }

    /// <summary>The command's exit code: the ranks' own when they failed with one (and said why), else 1 after one line
    /// on what mpirun reported.</summary>
    public int Finish(int exitCode, int ranks)
    {
        var text = string.Join(' ', boxed.Select(l => l.Trim()));
        var lost = LostRank().Match(text);
        if (!lost.Success)
            foreach (var line in held.Distinct()) stderr.WriteLine(line);
        if (exitCode == 0) return 0;
        // Interrupted (Ctrl+C forwarded): the ranks stopped together after rank 0 saved, and said so.
        if (exitCode == ExitCodes.Interrupted && !lost.Success) return exitCode;
        if (lost.Success)
        {
            var how = lost.Groups["signal"].Success ? $"killed by signal {lost.Groups["signal"].Value}" : "exited without finishing";
            stderr.WriteLine($"transformer: rank {lost.Groups["rank"].Value} of {ranks} was lost ({how}); the other ranks were stopped");
            return ExitCodes.Failure;
        }
        if (printed.Any(l => l.StartsWith("transformer:", StringComparison.Ordinal))) return exitCode is > 0 and < 128 ? exitCode : ExitCodes.Failure;
        stderr.WriteLine($"transformer: mpirun failed (exit {exitCode}): {(text.Length > 0 ? text : "no reason given")}");
        return ExitCodes.Failure;
    }

    [GeneratedRegex(@"process rank (?<rank>\d+) with PID \d+ on node \S+ exited on signal (?<signal>\d+)|process rank (?<rank>\d+) with PID \d+ on node \S+ exited improperly")]
    private static partial Regex LostRank();
}
