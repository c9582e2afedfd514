// Loads TorchSharp's native library before TorchSharp's own loader runs. TorchSharp 0.107's
// libLibTorchSharp.so is built with GCC 13 and so requires GLIBCXX_3.4.32 for one symbol,
// _ZSt21ios_base_library_initv, which <iostream> references in every object and nothing calls.
// Where the system libstdc++ is older (Debian 12, Ubuntu 22.04) the library is copied to a per-user
// cache with that one requirement redirected to a version it already requires from libstdc++, and
// the copy is loaded; where it is new enough nothing is copied. The NuGet cache and the build
// output are never edited.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

/// <summary>How the native library was loaded.</summary>
public enum TorchLoad
{
    /// <summary>Not on Linux, or TorchSharp's natives are not beside its assembly: TorchSharp's own loader decides.</summary>
    Deferred,
    /// <summary>The shipped library loaded as it is.</summary>
    AsShipped,
    /// <summary>A patched copy (<see cref="TorchLoader.PatchedPath"/>) was loaded.</summary>
    Patched,
}

public static partial class TorchLoader
{
    public const string NativeName = "libLibTorchSharp.so";
    public const string NumThreadsVariable = "TRANSFORMER_NUM_THREADS";

    /// <summary>The only symbols a redirected requirement may carry: references nothing calls.</summary>
    private static readonly HashSet<string> Uncalled = ["_ZSt21ios_base_library_initv"];

    // Loaded before the patched copy so that its DT_NEEDED entries resolve to the libraries beside TorchSharp.
    private static readonly string[] Dependencies = ["libgomp-98b21ff3.so.1", "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    private static readonly Lock Gate = new();
    private static Exception? failure;
    private static bool attempted;

    public static TorchLoad Outcome { get; private set; }

    /// <summary>The loaded patched copy, when <see cref="Outcome"/> is <see cref="TorchLoad.Patched"/>.</summary>
    public static string? PatchedPath { get; private set; }

    // Runs when the framework assembly is first touched, so library users need no call of their own.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        try { EnsureLoaded(); }
        catch (EngineException) { } // kept in `failure`; EnsureLoaded rethrows it to whoever asks
    }

    /// <summary>Makes TorchSharp loadable and applies the thread setting; idempotent. Throws
    /// <see cref="EngineException"/> with one line when the engine cannot run here.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (!attempted)
            {
                attempted = true;
                try
                {
                    Load();
                    torch.InitializeDeviceType(DeviceType.CPU);   // TorchSharp's own loader, now bound to what Load chose
                    ApplyThreads();
                }
                catch (Exception e)
                {
                    failure = e as EngineException ?? new EngineException($"TorchSharp could not start: {FirstLine(e)}", e);
                }
            }
            if (failure is not null) throw failure;
        }
    }

    /// <summary>Settings libtorch's native libraries read from the process environment when they start; each applies
    /// only where the user has not set the variable. OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of
    /// spinning, so two intra-op threads do not collapse when another process takes a core (measured in the README,
    /// "Threads"). THP_MEM_ALLOC_ENABLE=1: libtorch aligns its large CPU buffers to 2 MB and asks the kernel for
    /// transparent huge pages (madvise), which cuts TLB misses in the matmuls and page faults on every fresh activation
    /// buffer — measured +15–20% tokens/s at the small size for +7% peak RSS (README, "Training speed").</summary>
    public static readonly IReadOnlyDictionary<string, string> NativeDefaults = new Dictionary<string, string>
    {
        ["OMP_WAIT_POLICY"] = "PASSIVE",
        ["THP_MEM_ALLOC_ENABLE"] = "1",
    };

    private static void Load()
    {
        // Before any native library loads: the OpenMP runtime reads its settings once, when it starts. .NET keeps
        // its own copy of the environment, so the C library's setenv is what native code sees.
        if (!OperatingSystem.IsLinux()) return;
        foreach (var (name, value) in NativeDefaults)
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) setenv(name, value, 0);
        var directory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        var shipped = directory is null ? null : Path.Combine(directory, NativeName);
        if (shipped is null || !File.Exists(shipped)) return;
        string error;
        try
        {
            NativeLibrary.Load(shipped);
            Outcome = TorchLoad.AsShipped;
            return;
        }
        catch (DllNotFoundException e) { error = e.Message; }

        var missing = MissingVersion(error);
        if (missing is null)
            throw new EngineException($"TorchSharp's native library {shipped} does not load: {Reason(error)} — restore the TorchSharp-cpu package again (dotnet restore) or install what the message names");
        PatchedPath = WritePatchedCopy(shipped, missing);
        foreach (var dependency in Dependencies)
        {
            var path = Path.Combine(directory!, dependency);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }
        IntPtr handle;
        try { handle = NativeLibrary.Load(PatchedPath); }
        catch (DllNotFoundException e)
        {
            throw new EngineException($"TorchSharp's native library does not load even with {missing} redirected: {Reason(e.Message)} — install a libstdc++ from GCC 13 or newer");
        }
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly,
                (name, _, _) => name is "LibTorchSharp" or NativeName ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // Someone else resolves TorchSharp's imports; the loaded copy still answers to its soname.
        }
        Outcome = TorchLoad.Patched;
    }

    /// <summary>The libstdc++ version a failed load names as missing, or null when the failure is something else.</summary>
    public static string? MissingVersion(string loadError)
    {
        var match = MissingVersionPattern().Match(loadError);
        return match.Success && match.Groups[1].Value.StartsWith("GLIBCXX_", StringComparison.Ordinal) ? match.Groups[1].Value : null;
    }

    /// <summary>Writes (once per shipped library) the copy whose requirement of <paramref name="missing"/> is redirected;
    /// returns its path. The copy is written under a temporary name and renamed, so a present file is complete.</summary>
    public static string WritePatchedCopy(string shipped, string missing, string? cacheRoot = null)
    {
        var bytes = File.ReadAllBytes(shipped);
        var key = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var directory = Path.Combine(cacheRoot ?? CacheRoot(), "transformer", $"torchsharp-{key}-{missing}");
        var target = Path.Combine(directory, NativeName);
        if (File.Exists(target)) return target;
        Patch(bytes, missing);
        Directory.CreateDirectory(directory);
        var temporary = $"{target}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, target, overwrite: true);
        return target;
    }

    /// <summary>Redirects <paramref name="missing"/> to the newest other version the library requires from the same file.
    /// Refuses when a symbol other than the known uncalled ones depends on it.</summary>
    public static void Patch(byte[] library, string missing)
    {
        var needs = ElfVersionNeeds.Read(library);
        var need = needs.FirstOrDefault(n => n.Name == missing)
            ?? throw new EngineException($"{NativeName} does not require {missing}; cannot redirect it");
        var symbols = ElfVersionNeeds.SymbolsOfVersion(library, need.Index);
        var called = symbols.Where(s => !Uncalled.Contains(s)).ToList();
        if (called.Count > 0)
            throw new EngineException($"{NativeName} needs {missing} from {need.File} for {called.Count} symbol(s), e.g. {called[0]}: install a libstdc++ from GCC 13 or newer");
        var replacement = needs.Where(n => n.File == need.File && n.Name != missing && n.Name.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .MaxBy(n => Version.TryParse(n.Name["GLIBCXX_".Length..], out var v) ? v : new Version())
            ?? throw new EngineException($"{NativeName} requires no other GLIBCXX version to redirect {missing} to");
        ElfVersionNeeds.Redirect(library, need, replacement);
    }

    private static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return xdg;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
    }

    /// <summary>Intra-op threads from TRANSFORMER_NUM_THREADS when set (libtorch's default otherwise); it only
    /// takes full effect before other threads use ATen, hence here.</summary>
    private static void ApplyThreads()
    {
        var text = Environment.GetEnvironmentVariable(NumThreadsVariable);
        if (string.IsNullOrWhiteSpace(text)) return;
        if (!int.TryParse(text, out var threads) || threads < 1)
            throw new EngineException($"{NumThreadsVariable}='{text}' is not a positive integer");
        torch.set_num_threads(threads);
    }

    private static string Reason(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.LastOrDefault(l => l.Contains(".so")) ?? lines.FirstOrDefault() ?? error;
    }

    private static string FirstLine(Exception e)
    {
        while (e.InnerException is not null && e is TypeInitializationException) e = e.InnerException;
        return e.Message.Split('\n')[0].Trim();
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [GeneratedRegex(@"version `([^']+)' not found")]
    private static partial Regex MissingVersionPattern();
}
