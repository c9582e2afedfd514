// Reads safetensors data from a seekable stream: the 8-byte length, the header (validated against the
// stream's length before anything large is allocated), then each tensor's bytes in file order through
// one pooled buffer of at most ChunkBytes.
using System.Buffers;
using System.Buffers.Binary;

using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

internal static class SafetensorsReader
{
    /// <summary>The reference implementation's limit on the JSON header.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Tensors larger than this are read in pieces of this size.</summary>
    public const int ChunkBytes = 8 << 20;

    public static SafetensorsHeader ReadHeader(Stream stream, string source)
    {
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("the stream must be readable and seekable", nameof(stream));
        var total = stream.Length - stream.Position;
        if (total < 8)
            throw new SafetensorsFormatException(source, $"file is {total} bytes long, too short for the 8-byte header length");

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, source);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > (ulong)(total - 8))
            throw new SafetensorsFormatException(source, $"header length {length} runs past the end of the file ({total - 8} bytes follow the 8-byte length)");
        if (length > MaxHeaderLength)
            throw new SafetensorsFormatException(source, $"header length {length} exceeds the {MaxHeaderLength}-byte limit");

        var json = new byte[(int)length];
        ReadExactly(stream, json, source);
        return SafetensorsHeaderParser.Parse(json, total - 8 - (long)length, source);
    }

    /// <summary>Reads every tensor; the stream must be positioned at the data section. On failure
    /// every tensor created so far is disposed.</summary>
    public static SafetensorsFile ReadTensors(Stream stream, SafetensorsHeader header, Device? device, string source)
    {
        var largest = header.Tensors.Count == 0 ? 0 : header.Tensors.Max(t => t.ByteLength);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(largest, 1, ChunkBytes));
        try
        {
            // The scope disposes everything created here if anything fails; results are moved out at the end.
            using var scope = torch.NewDisposeScope();
            var tensors = new OrderedDictionary<string, torch.Tensor>(header.Tensors.Count, StringComparer.Ordinal);
            foreach (var info in header.Tensors)
                tensors.Add(info.Name, ReadTensor(stream, info, device, buffer, source));
            // Explicitly generic: DisposeScope.MoveToOuter(params Tensor[]) would be chosen, and it recurses forever.
            foreach (var t in tensors.Values) scope.MoveToOuter<torch.Tensor>(t);
            return new SafetensorsFile(tensors, header);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static torch.Tensor ReadTensor(Stream stream, SafetensorsTensorInfo info, Device? device, byte[] buffer, string source)
    {
        var shape = info.Shape.ToArray();
        if (info.ByteLength <= buffer.Length)
        {
            var bytes = buffer.AsSpan(0, (int)info.ByteLength);
            ReadExactly(stream, bytes, source);
            if (info.Dtype == ScalarType.Bool) CheckBools(bytes, 0, info, source);
            return TensorBytes.FromBytes(bytes, shape, info.Dtype, device);
        }

        // Too large for one buffer: fill a flat view of the result piece by piece.
        var size = TensorBytes.ElementSize(info.Dtype);
        var result = torch.empty(shape, info.Dtype, device);
        using var flat = result.view(-1);
        var perChunk = buffer.Length / size;
        for (long start = 0; start < info.ElementCount; start += perChunk)
        {
            var count = (int)Math.Min(perChunk, info.ElementCount - start);
            var bytes = buffer.AsSpan(0, count * size);
            ReadExactly(stream, bytes, source);
            if (info.Dtype == ScalarType.Bool) CheckBools(bytes, start, info, source);
            using var piece = TensorBytes.FromBytes(bytes, new[] { (long)count }, info.Dtype);
            using var target = flat.narrow(0, start, count);
            target.copy_(piece);
        }
        return result;
    }

    // libtorch assumes a bool byte is 0 or 1; anything else is undefined behaviour in its kernels.
    private static void CheckBools(ReadOnlySpan<byte> bytes, long firstElement, SafetensorsTensorInfo info, string source)
    {
        var bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
            throw new SafetensorsFormatException(source, $"tensor '{info.Name}' (bool) holds byte {bytes[bad]} at element {firstElement + bad}; bool elements must be 0 or 1");
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string source)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e) // only when the file shrank while being read: lengths were checked
        {
            throw new SafetensorsFormatException(source, "file ended early (was it truncated while being read?)", e);
        }
    }
}
