// TorchSharp's native library loads on this machine whatever its libstdc++: the version requirement
// that GCC 13 plants is read, redirected and verified against readelf and the ELF hash's published
// values; the loader patches a cached copy only where the system libstdc++ is too old.
using System.Diagnostics;
using System.Text;
using Transformer.Engine;

namespace Transformer.Tests;

public class TorchLoaderTests
{
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, TorchLoader.NativeName);

    [Fact]
    public void The_elf_hash_matches_its_published_values()
    {
        // glibc's symbol versions, as ld.so and every linker compute them (System V ABI, "hash" of the version name).
        Assert.Equal(0x09691a75u, ElfVersionNeeds.Hash("GLIBC_2.2.5"));
        Assert.Equal(0x0d696914u, ElfVersionNeeds.Hash("GLIBC_2.4"));
        Assert.Equal(0u, ElfVersionNeeds.Hash(""));
    }

    [Fact]
    public void The_shipped_library_needs_GLIBCXX_3_4_32_only_for_the_uncalled_iostream_initializer()
    {
        var elf = File.ReadAllBytes(Shipped);
        var needs = ElfVersionNeeds.Read(elf);
        var need = Assert.Single(needs, n => n.Name == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal(["_ZSt21ios_base_library_initv"], ElfVersionNeeds.SymbolsOfVersion(elf, need.Index));
        // Every requirement's stored hash is the hash of its name (the linker computed them, not us).
        foreach (var n in needs) Assert.Equal(ElfVersionNeeds.Hash(n.Name), BitConverter.ToUInt32(elf, n.Offset));
        if (Readelf(Shipped) is { } listing)
            foreach (var n in needs) Assert.Contains($"Name: {n.Name}  Flags: none  Version: {n.Index}", listing);
    }

    [Fact]
    public void Patching_redirects_that_one_requirement_to_a_version_already_required_and_changes_nothing_else()
    {
        var original = File.ReadAllBytes(Shipped);
        var patched = (byte[])original.Clone();
        TorchLoader.Patch(patched, "GLIBCXX_3.4.32");

        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.InRange(changed.Length, 1, 8);                             // vna_hash and vna_name of one entry
        var needs = ElfVersionNeeds.Read(patched);
        Assert.DoesNotContain(needs, n => n.Name == "GLIBCXX_3.4.32");
        var before = ElfVersionNeeds.Read(original);
        var redirected = needs.Single(n => n.Offset == before.Single(b => b.Name == "GLIBCXX_3.4.32").Offset);
        Assert.Equal("libstdc++.so.6", redirected.File);
        Assert.Contains(before, b => b.Name == redirected.Name && b.File == redirected.File && b.Offset != redirected.Offset);
        Assert.Equal(ElfVersionNeeds.Hash(redirected.Name), BitConverter.ToUInt32(patched, redirected.Offset));
    }

    [Fact]
    public void A_version_that_real_symbols_need_is_never_redirected()
    {
        var elf = File.ReadAllBytes(Shipped);
        var used = ElfVersionNeeds.Read(elf).First(n => n.File == "libstdc++.so.6" && ElfVersionNeeds.SymbolsOfVersion(elf, n.Index).Count > 5);
        var refusal = Assert.Throws<EngineException>(() => TorchLoader.Patch(elf, used.Name));
        Assert.Contains($"needs {used.Name} from libstdc++.so.6", refusal.Message);
        Assert.Contains("install a libstdc++ from GCC 13 or newer", refusal.Message);
    }

    [Theory]
    [InlineData("/x/libLibTorchSharp.so: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/libLibTorchSharp.so)", "GLIBCXX_3.4.32")]
    [InlineData("/x/libLibTorchSharp.so: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /x/libLibTorchSharp.so)", null)]
    [InlineData("libtorch_cpu.so: cannot open shared object file: No such file or directory", null)]
    public void Only_a_missing_libstdcxx_version_is_patched(string loadError, string? expected) =>
        Assert.Equal(expected, TorchLoader.MissingVersion(loadError));

    [Fact]
    public void The_engine_loads_here_by_the_path_this_machines_libstdcxx_needs_and_never_edits_the_shipped_library()
    {
        TorchLoader.EnsureLoaded();
        using var product = torch.ones(2, 3).matmul(torch.ones(3, 2));
        Assert.Equal(3f, product[0, 0].item<float>());

        var systemHasIt = SystemLibstdcxx() is { } path && Encoding.ASCII.GetString(File.ReadAllBytes(path)).Contains("GLIBCXX_3.4.32");
        if (systemHasIt)
        {
            Assert.Equal(TorchLoad.AsShipped, TorchLoader.Outcome);       // a no-op where libstdc++ is new enough
            Assert.Null(TorchLoader.PatchedPath);
            return;
        }
        Assert.Equal(TorchLoad.Patched, TorchLoader.Outcome);
        var patched = TorchLoader.PatchedPath!;
        Assert.StartsWith(Path.GetFullPath(Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "transformer")), patched);
        Assert.Contains(ElfVersionNeeds.Read(File.ReadAllBytes(Shipped)), n => n.Name == "GLIBCXX_3.4.32");   // untouched
        Assert.DoesNotContain(ElfVersionNeeds.Read(File.ReadAllBytes(patched)), n => n.Name == "GLIBCXX_3.4.32");
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")));   // TorchSharp's fallback never ran
    }

    [Fact]
    public void A_patched_copy_is_written_once_under_a_name_derived_from_the_shipped_library()
    {
        var cache = Directory.CreateTempSubdirectory("torchloader-").FullName;
        try
        {
            var first = TorchLoader.WritePatchedCopy(Shipped, "GLIBCXX_3.4.32", cache);
            var written = File.GetLastWriteTimeUtc(first);
            Assert.Equal(first, TorchLoader.WritePatchedCopy(Shipped, "GLIBCXX_3.4.32", cache));
            Assert.Equal(written, File.GetLastWriteTimeUtc(first));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(first)!));    // no temporary left behind
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private static string? SystemLibstdcxx() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);

    private static string? Readelf(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", "--wide", path]) { RedirectStandardOutput = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // binutils not installed: the hash checks above still hold
        }
    }
}
