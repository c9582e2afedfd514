// One split of a prepared dataset, read through memory maps: example i's segment s is the tokens
// [offsets[i·S + s], offsets[i·S + s + 1]) of the split's token stream (S = segments per example).
using System.Buffers;
using System.Numerics;

namespace Transformer.Data.Shards;

public sealed class PreparedSplit : IDisposable
{
    private const int ChunkElements = 1 << 14;
    private readonly MappedFile tokens;
    private readonly MappedFile offsets;
    private readonly MappedFile? labels;

    internal PreparedSplit(string name, string directory, long examples, long tokenCount, TokenDtype dtype, int segments, bool hasLabels)
    {
        Name = name;
        Count = examples;
        TokenCount = tokenCount;
        Dtype = dtype;
        Segments = segments;
        var opened = new List<IDisposable>();
        try
        {
            tokens = Open(ShardFiles.Tokens);
            offsets = Open(ShardFiles.Offsets);
            labels = hasLabels ? Open(ShardFiles.Labels) : null;
        }
        catch
        {
            foreach (var file in opened) file.Dispose();
            throw;
        }

        MappedFile Open(string role)
        {
            var file = new MappedFile(Path.Combine(directory, ShardFiles.Name(name, role)));
            opened.Add(file);
            return file;
        }
    }

    public string Name { get; }
    /// <summary>Examples (documents, pairs or labeled texts).</summary>
    public long Count { get; }
    /// <summary>Tokens in the split's stream, all segments together.</summary>
    public long TokenCount { get; }
    public TokenDtype Dtype { get; }
    public int Segments { get; }
    public bool HasLabels => labels is not null;

    /// <summary>[Start, End) of example <paramref name="example"/>'s segment in the token stream.</summary>
    public (long Start, long End) Segment(long example, int segment = 0)
    {
        if ((ulong)example >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(example), example, $"the {Name} split has {Count} examples");
        if ((uint)segment >= (uint)Segments) throw new ArgumentOutOfRangeException(nameof(segment), segment, $"examples have {Segments} segment(s)");
        Span<long> pair = stackalloc long[2];
        offsets.Read((example * Segments + segment) * 8, pair);
        CheckSpan(example * Segments + segment, pair[0], pair[1]);
        return (pair[0], pair[1]);
    }

    /// <summary>Entry <paramref name="index"/> of the offsets index (0 … Count·Segments).</summary>
    internal long Offset(long index) => offsets.Read<long>(index * 8);

    /// <summary>The length of segment <paramref name="segment"/> of every example, in example order.</summary>
    public int[] Lengths(int segment = 0)
    {
        if ((uint)segment >= (uint)Segments) throw new ArgumentOutOfRangeException(nameof(segment), segment, $"examples have {Segments} segment(s)");
        var result = new int[Count];
        var buffer = new long[ChunkElements + 1];
        var total = Count * Segments + 1;
        for (long first = 0; first < total - 1; first += ChunkElements)
        {
            var n = (int)Math.Min(ChunkElements + 1, total - first);
            offsets.Read(first * 8, buffer.AsSpan(0, n));
            for (var k = 0; k < n - 1; k++)
                if ((first + k) % Segments == segment)
                {
                    CheckSpan(first + k, buffer[k], buffer[k + 1]);
                    result[(first + k) / Segments] = (int)Math.Min(buffer[k + 1] - buffer[k], int.MaxValue);
                }
        }
        return result;
    }

    /// <summary>Copies the token ids [start, start + destination.Length) of the stream, widened to int64.</summary>
    public void ReadTokens(long start, Span<long> destination)
    {
        if (start < 0 || start + destination.Length > TokenCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"tokens {start}..{start + destination.Length} are outside the {Name} split's {TokenCount}");
        if (Dtype == TokenDtype.UInt16) Widen<ushort>(start, destination, 2);
        else Widen<uint>(start, destination, 4);
    }

    /// <summary>The tokens of one segment of one example.</summary>
    public long[] ReadSegment(long example, int segment = 0)
    {
        var (start, end) = Segment(example, segment);
        var result = new long[end - start];
        ReadTokens(start, result);
        return result;
    }

    /// <summary>The label id of a classification example.</summary>
    public int Label(long example)
    {
        if (labels is null) throw new InvalidOperationException($"the {Name} split has no labels (not a classification dataset)");
        if ((ulong)example >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(example), example, $"the {Name} split has {Count} examples");
        return labels.Read<int>(example * 4);
    }

    // Open checks only the first and last offsets (ShardVerification.Sizes); a damaged entry in between is caught
    // here, before it becomes a length or a position in the token stream.
    private void CheckSpan(long index, long start, long end)
    {
        if (start < 0 || end < start || end > TokenCount)
            throw new DataFormatException(offsets.Path, $"offsets {index} and {index + 1} span [{start}, {end})",
                $"non-decreasing offsets within the split's {TokenCount} tokens; prepare the data again");
    }

    public void Dispose()
    {
        tokens.Dispose();
        offsets.Dispose();
        labels?.Dispose();
    }

    private void Widen<T>(long start, Span<long> destination, int size) where T : unmanaged, IBinaryInteger<T>
    {
        var rented = ArrayPool<T>.Shared.Rent(Math.Min(destination.Length, ChunkElements));
        try
        {
            for (var done = 0; done < destination.Length;)
            {
                var n = Math.Min(rented.Length, destination.Length - done);
                var chunk = rented.AsSpan(0, n);
                tokens.Read((start + done) * size, chunk);
                for (var i = 0; i < n; i++) destination[done + i] = long.CreateTruncating(chunk[i]);
                done += n;
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
