// Shared pieces of the data tests: a deterministic character encoder and a temporary directory.
using System.Text;
using Transformer.Data;

namespace Transformer.Tests;

/// <summary>Each UTF-16 character is one token: id = 3 + (offset + char) mod (vocab − 3); pad 0, BOS 1, EOS 2.
/// With a large vocabulary and offset the ids exceed 65,535 (the uint32 shard path).</summary>
public sealed class CharEncoder(int vocabSize = 1000, int offset = 0, bool withBos = true, bool withEos = true, bool withPad = true) : ITextEncoder
{
    public int VocabSize => vocabSize;
    public string Hash => $"chars:{vocabSize}:{offset}:{withBos}:{withEos}:{withPad}";
    public int? PadId => withPad ? 0 : null;
    public int? BosId => withBos ? 1 : null;
    public int? EosId => withEos ? 2 : null;

    public int[] Encode(string text) => text.Select(c => 3 + (offset + c) % (vocabSize - 3)).ToArray();

    public IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts) => texts.Select(Encode).ToArray();

    /// <summary>Ids back to text (the test vocabularies are big enough to make Encode invertible).</summary>
    public string Decode(IEnumerable<long> ids) =>
        new(ids.Select(id => (char)((((int)id - 3 - offset) % (vocabSize - 3) + vocabSize - 3) % (vocabSize - 3))).ToArray());

    public long[] Ids(string text) => Encode(text).Select(i => (long)i).ToArray();
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "transformer-data-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Writes UTF-8 text (no BOM); "&lt;FF&gt;" stands for a raw 0xFF byte, which is never UTF-8.</summary>
    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        var parts = content.Split("<FF>");
        using var stream = System.IO.File.Create(path);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) stream.WriteByte(0xFF);
            stream.Write(Encoding.UTF8.GetBytes(parts[i]));
        }
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
