// Lays out and writes safetensors data the way the reference implementation does: tensors sorted by
// element size (alignment) descending, then by name; header padded with spaces to a multiple of 8;
// data contiguous. Everything is validated before the first byte is written.
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class SafetensorsWriter
{
    /// <summary>Tensors larger than this are copied out in pieces of this size.</summary>
    public const int ChunkBytes = SafetensorsReader.ChunkBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Entry(string Name, torch.Tensor Tensor, ScalarType Dtype, long[] Shape, long Begin, long End);

    /// <summary>A validated layout: the padded header and the tensors in data order.</summary>
    public sealed record Plan(byte[] Header, Entry[] Entries, long DataLength)
    {
        public long TotalLength => 8 + Header.Length + DataLength;
    }

    public static Plan Prepare(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<(string Name, torch.Tensor Tensor, ScalarType Dtype, long[] Shape, long Bytes)>();
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("a tensor name is null or empty", nameof(tensors));
            if (name == SafetensorsHeaderParser.MetadataKey)
                throw new ArgumentException($"'{name}' is reserved for the metadata and cannot name a tensor", nameof(tensors));
            CheckUtf16(name, $"tensor name '{name}'");
            if (!names.Add(name))
                throw new ArgumentException($"two tensors are named '{name}'", nameof(tensors));
            if (tensor is null || tensor.IsInvalid)
                throw new ArgumentException($"tensor '{name}' is {(tensor is null ? "null" : "disposed")}", nameof(tensors));
            var dtype = tensor.dtype;
            if (!SafetensorsDtype.TryGetName(dtype, out _))
                throw new ArgumentException($"tensor '{name}' has dtype {dtype.Name()}, which safetensors cannot store here", nameof(tensors));
            pending.Add((name, tensor, dtype, tensor.shape, tensor.nbytes()));
        }

        pending.Sort((a, b) =>
        {
            var bySize = TensorBytes.ElementSize(b.Dtype).CompareTo(TensorBytes.ElementSize(a.Dtype));
            return bySize != 0 ? bySize : CompareCodePoints(a.Name, b.Name);
        });

        var entries = new Entry[pending.Count];
        long offset = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var p = pending[i];
            entries[i] = new Entry(p.Name, p.Tensor, p.Dtype, p.Shape, offset, offset + p.Bytes);
            offset += p.Bytes;
        }
        return new Plan(BuildHeader(entries, metadata), entries, offset);
    }

    private static byte[] BuildHeader(Entry[] entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(SafetensorsHeaderParser.MetadataKey);
                // Sorted so that equal content always gives identical files.
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, Comparer<string>.Create(CompareCodePoints)))
                {
                    if (key is null || value is null)
                        throw new ArgumentException("metadata keys and values cannot be null", nameof(metadata));
                    CheckUtf16(key, $"metadata key '{key}'");
                    CheckUtf16(value, $"the metadata value of '{key}'");
                    w.WriteString(key, value);
                }
                w.WriteEndObject();
            }
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                SafetensorsDtype.TryGetName(e.Dtype, out var dtype);
                w.WriteString("dtype", dtype);
                w.WriteStartArray("shape");
                foreach (var d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var padded = (json.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    public static void Write(Stream stream, Plan plan)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)plan.Header.Length);
        stream.Write(prefix);
        stream.Write(plan.Header);

        var largest = plan.Entries.Length == 0 ? 0 : plan.Entries.Max(e => e.End - e.Begin);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(largest, 1, ChunkBytes));
        try
        {
            // Views made for chunked copies must not land in the caller's dispose scope.
            using var scope = torch.NewDisposeScope();
            foreach (var e in plan.Entries) WriteTensor(stream, e, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteTensor(Stream stream, Entry e, byte[] buffer)
    {
        var length = e.End - e.Begin;
        if (e.Tensor.IsInvalid || e.Tensor.nbytes() != length)
            throw new InvalidOperationException($"tensor '{e.Name}' was disposed or changed while being saved");
        if (length <= buffer.Length)
        {
            var bytes = buffer.AsSpan(0, (int)length);
            e.Tensor.CopyBytesTo(bytes);
            stream.Write(bytes);
            return;
        }

        // Too large for one buffer: copy a flat (row-major) view out piece by piece.
        var size = TensorBytes.ElementSize(e.Dtype);
        using var detached = e.Tensor.detach();
        using var flat = detached.reshape(-1);
        var elements = length / size;
        var perChunk = buffer.Length / size;
        for (long start = 0; start < elements; start += perChunk)
        {
            var count = (int)Math.Min(perChunk, elements - start);
            using var piece = flat.narrow(0, start, count);
            var bytes = buffer.AsSpan(0, count * size);
            piece.CopyBytesTo(bytes);
            stream.Write(bytes);
        }
    }

    private static void CheckUtf16(string s, string what)
    {
        try
        {
            StrictUtf8.GetByteCount(s);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"{what} is not valid UTF-16 (it has a lone surrogate)");
        }
    }

    /// <summary>Orders strings by Unicode code point, as Rust and Python compare them (UTF-16 ordinal order differs above U+D7FF).</summary>
    public static int CompareCodePoints(string? a, string? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : -1) : 1;
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            var hasA = ea.MoveNext();
            var hasB = eb.MoveNext();
            if (!hasA || !hasB) return hasA.CompareTo(hasB);
            var c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0) return c;
        }
    }
}
