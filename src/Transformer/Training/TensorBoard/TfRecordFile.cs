// TFRecord framing, the container of TensorBoard's event files: per record a little-endian uint64 length, the masked
// CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
using System.Buffers.Binary;
using System.Numerics;

namespace Transformer.Training.TensorBoard;

internal static class TfRecordFile
{
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>The records of a file, up to the first one that is cut off or fails a CRC (a write a kill
    /// interrupted); <paramref name="intact"/> says whether the whole file was read.</summary>
    public static List<byte[]> Read(string path, out bool intact)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        var at = 0;
        while (bytes.Length - at >= 12)
        {
            var header = bytes.AsSpan(at, 12);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            var room = bytes.Length - at - 16;
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != MaskedCrc(header[..8]) || room < 0 || length > (ulong)room) break;
            var data = bytes.AsSpan(at + 12, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)) != MaskedCrc(data)) break;
            records.Add(data.ToArray());
            at += 16 + (int)length;
        }
        intact = at == bytes.Length;
        return records;
    }

    /// <summary>TFRecord's masked CRC-32C (Castagnoli): rotated right by 15 bits plus a constant, so that a CRC stored
    /// inside checksummed data does not checksum to a fixed value.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
