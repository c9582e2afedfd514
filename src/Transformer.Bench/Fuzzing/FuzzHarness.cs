// Runs one fuzz case: mutates one file of a format's workspace, calls its reader on a worker thread with a time
// bound, and classifies the outcome against the error contract — success, a typed error (a TransformerException
// with a one-line message), or a failure (any other exception, a bad message, a hang, or allocation out of
// proportion to the bytes on disk). The file is restored afterwards, so cases are independent.
using System.Diagnostics;
using System.Globalization;

namespace Transformer.Bench.Fuzzing;

/// <summary>A file the fuzzer damages: where it lives in the workspace, the valid versions it starts from (the
/// first is what the workspace holds between cases), and the reader to call after damaging it.</summary>
internal sealed record FuzzFile(string Path, IReadOnlyList<byte[]> Seeds, FuzzSyntax Syntax, Action Read);

/// <summary>One file format: its files and the workspace (temporary directory) that holds them.</summary>
internal sealed class FuzzFormat(string name, IReadOnlyList<FuzzFile> files, string workspace, IDisposable? resources = null) : IDisposable
{
    public string Name { get; } = name;
    public IReadOnlyList<FuzzFile> Files { get; } = files;

    public void Dispose()
    {
        resources?.Dispose();
        try { Directory.Delete(workspace, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal enum FuzzResult { Ok, TypedError, Failure }

/// <summary>The outcome of one case; <see cref="Seed"/> and <see cref="Mutation"/> reproduce it.</summary>
internal sealed record FuzzCase(string Format, int Seed, string File, string Mutation, FuzzResult Result, string? Problem)
{
    public override string ToString() =>
        $"{Format} seed {Seed} ({File}: {Mutation}): {Result}{(Problem is null ? "" : " — " + Problem)}";
}

internal static class FuzzHarness
{
    /// <summary>A reader may allocate this much plus <see cref="BytesPerInputByte"/> per byte of its input files (in
    /// total, garbage included): allocation must follow the bytes on disk, never a length declared inside them. Reading
    /// and tokenizing megabyte-long lines costs 160–320 bytes per input byte (measured in the 100,000-input run).</summary>
    public const long BaseAllocationBytes = 64L << 20;
    public const long BytesPerInputByte = 400;

    /// <summary>A case that computes for this long (its thread's CPU time, where Linux's /proc tells it; else wall clock)
    /// is a hang: on a loaded machine wall time alone flagged slow-but-sound cases.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    /// <summary>A case that has not finished after this long on the wall clock is a hang even without computing (blocked).</summary>
    public static readonly TimeSpan WallTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The seed of case <paramref name="index"/> of a run seeded <paramref name="runSeed"/>: distinct per format,
    /// so a failing case is reproduced by (format, seed) alone.</summary>
    public static int CaseSeed(int runSeed, string format, int index)
    {
        // SplitMix64's finaliser: HashCode.Combine would differ from process to process.
        var z = unchecked(((ulong)(uint)runSeed << 32 | (uint)index) + 0x9E3779B97F4A7C15 * (ulong)(uint)StableHash(format));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    public static FuzzCase Run(FuzzFormat format, int seed)
    {
        var random = new Random(seed);
        var file = format.Files[random.Next(format.Files.Count)];
        var (bytes, mutation) = FuzzMutator.Mutate(file.Seeds, file.Syntax, random);
        var name = Path.GetFileName(file.Path);
        File.WriteAllBytes(file.Path, bytes);
        try
        {
            var inputBytes = format.Files.Where(f => f != file && f.Path != file.Path).Sum(f => (long)f.Seeds[0].Length) + bytes.Length;
            var (result, problem) = Classify(file.Read, BaseAllocationBytes + BytesPerInputByte * inputBytes);
            return new FuzzCase(format.Name, seed, name, mutation, result, problem);
        }
        finally
        {
            File.WriteAllBytes(file.Path, file.Seeds[0]);
        }
    }

    /// <summary>Runs <paramref name="read"/> on a worker thread and classifies what it did; <paramref name="cpuLimit"/>
    /// and <paramref name="wallLimit"/> default to <see cref="Timeout"/> and <see cref="WallTimeout"/>.</summary>
    internal static (FuzzResult, string?) Classify(Action read, long allocationBound, TimeSpan? cpuLimit = null, TimeSpan? wallLimit = null)
    {
        Exception? error = null;
        long allocated = 0;
        var threadId = 0;
        var worker = new Thread(() =>
        {
            threadId = CurrentThreadId();
            var before = GC.GetAllocatedBytesForCurrentThread();
            try { read(); }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true, Name = "fuzz case" };
        var clock = Stopwatch.StartNew();
        worker.Start();
        // A hung reader cannot be stopped in .NET; its thread is left behind (in the background) and reported.
        while (!worker.Join(TimeSpan.FromMilliseconds(50)))
        {
            var cpu = threadId == 0 ? null : CpuSeconds(threadId);
            if ((cpu ?? clock.Elapsed.TotalSeconds) > (cpuLimit ?? Timeout).TotalSeconds || clock.Elapsed > (wallLimit ?? WallTimeout))
                return (FuzzResult.Failure, $"no result after {clock.Elapsed.TotalSeconds:F1} s"
                    + (cpu is { } c ? $" ({c:F1} s of CPU)" : "") + " (a hang?)");
        }
        if (allocated > allocationBound)
            return (FuzzResult.Failure, $"allocated {allocated:N0} bytes, more than the bound {allocationBound:N0} for its input"
                + (error is null ? "" : $" (then {Describe(error)})"));
        return error switch
        {
            null => (FuzzResult.Ok, null),
            TransformerException typed when typed.Message.Length == 0 || typed.Message.Contains('\n') || typed.Message.Contains('\r') =>
                (FuzzResult.Failure, $"{typed.GetType().Name} whose message is not one non-empty line: {Shorten(Escape(typed.Message))}"),
            TransformerException typed => (FuzzResult.TypedError, $"{typed.GetType().Name}: {Shorten(typed.Message)}"),
            _ => (FuzzResult.Failure, Describe(error)),
        };
    }

    private static string Describe(Exception e)
    {
        var frame = e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Transformer.", StringComparison.Ordinal))
            ?? e.StackTrace?.Split('\n')[0].Trim() ?? "";
        return $"unhandled {e.GetType().FullName}: {Shorten(Escape(e.Message))} [{frame}]";
    }

    private static string Escape(string text) => text.Replace("\r", "\\r").Replace("\n", "\\n");

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    // string.GetHashCode is randomised per process too.
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }

    /// <summary>The calling thread's id as Linux knows it (/proc/thread-self/stat's first field), or 0 elsewhere.</summary>
    private static int CurrentThreadId()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(' ', 2)[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>User + system CPU seconds of thread <paramref name="threadId"/> of this process (/proc: fields 14 and 15
    /// of its stat, in clock ticks of 1/100 s), or null when unknown.</summary>
    private static double? CpuSeconds(int threadId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');      // from field 3 on: the name may hold spaces
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
