// Appends examples to one split's shard files: token ids (uint16/uint32), the int64 offsets index (a leading
// 0, then the end of every segment) and, for classification, int32 label ids. Label ids are held until
// Finish, which may renumber them (labels collected while reading get their sorted ids only at the end).
using System.Buffers.Binary;

namespace Transformer.Data.Shards;

internal sealed class ShardWriter : IDisposable
{
    private readonly string directory;
    private readonly string split;
    private readonly TokenDtype dtype;
    private readonly int segments;
    private readonly List<int>? labels;
    private readonly byte[] scratch = new byte[1 << 16];
    private FileStream? tokens;
    private FileStream? offsets;
    private int maxLength;

    public ShardWriter(string directory, string split, TokenDtype dtype, int segments, bool hasLabels)
    {
        this.directory = directory;
        this.split = split;
        this.dtype = dtype;
        this.segments = segments;
        labels = hasLabels ? new List<int>() : null;
        tokens = Create(ShardFiles.Tokens);
        offsets = Create(ShardFiles.Offsets);
        WriteOffset(0);
    }

    public long Examples { get; private set; }
    public long Tokens { get; private set; }
    public IReadOnlyList<int>? Labels => labels;

    public string PathOf(string role) => Path.Combine(directory, ShardFiles.Name(split, role));

    /// <summary>One example: exactly `segments` token arrays (ids already checked against the vocabulary).</summary>
    public void Add(IReadOnlyList<int[]> example, int label = -1)
    {
        if (example.Count != segments) throw new ArgumentException($"expected {segments} segment(s), got {example.Count}", nameof(example));
        foreach (var segment in example)
        {
            WriteTokens(segment);
            Tokens += segment.Length;
            maxLength = Math.Max(maxLength, segment.Length);
            WriteOffset(Tokens);
        }
        labels?.Add(label);
        Examples++;
    }

    /// <summary>Flushes and closes the token and offset files (the labels file is written by Finish).</summary>
    public void Close()
    {
        tokens?.Dispose();
        offsets?.Dispose();
        tokens = offsets = null;
    }

    /// <summary>Closes the files, writes the labels (renumbered through <paramref name="labelIds"/> when given)
    /// and returns the split's meta with every file's size and SHA-256.</summary>
    public SplitMeta Finish(IReadOnlyList<int>? labelIds)
    {
        Close();
        var roles = new List<string> { ShardFiles.Tokens, ShardFiles.Offsets };
        if (labels is not null)
        {
            var bytes = new byte[labels.Count * 4];
            for (var i = 0; i < labels.Count; i++)
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), labelIds is null ? labels[i] : labelIds[labels[i]]);
            File.WriteAllBytes(PathOf(ShardFiles.Labels), bytes);
            roles.Add(ShardFiles.Labels);
        }
        return new SplitMeta
        {
            Examples = Examples,
            Tokens = Tokens,
            MaxLength = maxLength,
            Files = roles.Select(role => new ShardFileMeta
            {
                Role = role,
                File = ShardFiles.Name(split, role),
                Bytes = new FileInfo(PathOf(role)).Length,
                Sha256 = FileHash.Sha256(PathOf(role)),
            }).ToArray(),
        };
    }

    public void Dispose() => Close();

    private FileStream Create(string role) =>
        new(PathOf(role), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    private void WriteTokens(ReadOnlySpan<int> ids)
    {
        var size = dtype.ByteSize();
        while (!ids.IsEmpty)
        {
            var n = Math.Min(ids.Length, scratch.Length / size);
            for (var i = 0; i < n; i++)
            {
                if (dtype == TokenDtype.UInt16) BinaryPrimitives.WriteUInt16LittleEndian(scratch.AsSpan(i * 2), (ushort)ids[i]);
                else BinaryPrimitives.WriteUInt32LittleEndian(scratch.AsSpan(i * 4), (uint)ids[i]);
            }
            tokens!.Write(scratch, 0, n * size);
            ids = ids[n..];
        }
    }

    private void WriteOffset(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        offsets!.Write(bytes);
    }
}
