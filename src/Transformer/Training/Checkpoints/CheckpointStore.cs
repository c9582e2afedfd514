// The checkpoints/ directory of a run: step-N checkpoints, a `best` link to the best one, and
// retention (keep the last K plus the best). Hidden temporary directories (".step-N.tmp-…") of an
// interrupted save are never listed and are cleaned up on open.
using System.Globalization;
using System.Runtime.InteropServices;

namespace Transformer.Training.Checkpoints;

public sealed class CheckpointStore
{
    public const string BestLink = "best";
    private const string Prefix = "step-";

    /// <param name="cleanUp">Creates the directory and deletes what interrupted saves left (a trainer's store);
    /// false only reads (evaluate, generate).</param>
    public CheckpointStore(string directory, bool cleanUp = true)
    {
        Directory = Path.GetFullPath(directory);
        if (!cleanUp) return;
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var stale in System.IO.Directory.EnumerateDirectories(Directory, ".*"))
            System.IO.Directory.Delete(stale, recursive: true);
    }

    public string Directory { get; }

    public string PathFor(long step) => Path.Combine(Directory, Prefix + step.ToString(CultureInfo.InvariantCulture));

    /// <summary>Complete checkpoints by step, oldest first.</summary>
    public IReadOnlyList<(long step, string path)> List() =>
        System.IO.Directory.EnumerateDirectories(Directory, Prefix + "*")
            .Select(path => (ok: long.TryParse(Path.GetFileName(path)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step), step, path))
            .Where(e => e.ok && IsComplete(e.path))
            .Select(e => (e.step, e.path))
            .OrderBy(e => e.step)
            .ToList();

    public (long step, string path)? Latest => List() is { Count: > 0 } all ? all[^1] : null;

    /// <summary>The checkpoint the `best` link points at, if any.</summary>
    public string? Best
    {
        get
        {
            var link = new FileInfo(Path.Combine(Directory, BestLink));
            if (link.LinkTarget is not { } target) return null;
            var resolved = Path.GetFullPath(target, Directory);
            return IsComplete(resolved) ? resolved : null;
        }
    }

    /// <summary>Points `best` at the checkpoint of <paramref name="step"/>, replacing the link atomically.</summary>
    public void MarkBest(long step)
    {
        var target = PathFor(step);
        if (!IsComplete(target)) throw new CheckpointException(target, "cannot mark an incomplete checkpoint as best");
        var temporary = Path.Combine(Directory, $".best.tmp-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(temporary, Path.GetFileName(target));
        // rename(2) replaces the old link in one step; .NET's File.Move would follow a link to a directory.
        if (rename(Utf8(temporary), Utf8(Path.Combine(Directory, BestLink))) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            File.Delete(temporary);
            throw new IOException($"{Path.Combine(Directory, BestLink)}: cannot replace the link (errno {error})");
        }
    }

    private static byte[] Utf8(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", SetLastError = true)]
    private static extern int rename(byte[] from, byte[] to);

    /// <summary>Deletes all but the newest <paramref name="keepLast"/> checkpoints, never the best one.</summary>
    public void Prune(int keepLast)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep at least the last checkpoint");
        var best = Best;
        var all = List();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keepLast)))
            if (best is null || !string.Equals(Path.GetFullPath(path), best, StringComparison.Ordinal))
                System.IO.Directory.Delete(path, recursive: true);
    }

    private static bool IsComplete(string path)
    {
        try
        {
            Checkpoint.CheckComplete(path);
            return true;
        }
        catch (CheckpointException)
        {
            return false;
        }
    }
}
