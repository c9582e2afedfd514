// A temporary folder for hand-made miniature corpora; deleted on dispose.
using System.Text;

namespace Transformer.Tests;

internal sealed class CorpusTempDir : IDisposable
{
    public CorpusTempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "corpus-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to a path under the folder.</summary>
    public string Write(string relative, string text) => Write(relative, new UTF8Encoding(false).GetBytes(text));

    public string Write(string relative, byte[] bytes)
    {
        var path = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The lines of an output file, which must be UTF-8 without BOM with '\n' line ends.</summary>
    public string[] Lines(string relative)
    {
        var bytes = File.ReadAllBytes(this[relative]);
        Assert.False(bytes.AsSpan().StartsWith("\uFEFF"u8), $"{relative} starts with a BOM");
        Assert.DoesNotContain((byte)'\r', bytes);
        var text = Encoding.UTF8.GetString(bytes);
        if (text.Length == 0) return [];
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
