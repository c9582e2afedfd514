// An events-file reader written from the format's description, independent of the writer: TFRecord framing whose
// two CRCs are checked (CRC-32C computed bit by bit, masked), then the Event protobuf fields TensorBoard reads.
using System.Buffers.Binary;
using System.Text;

namespace Transformer.Tests;

internal sealed record TensorBoardValue(string Tag, float? Simple, string? Plugin, int? Dtype, long[]? Shape, string? Text);

internal sealed record TensorBoardEvent(double WallTime, long Step, string? FileVersion, int? SessionStatus, List<TensorBoardValue> Values);

internal static class TensorBoardEvents
{
    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), one bit at a time.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        return ~crc;
    }

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>Every record of a file; fails on a bad CRC or a cut-off record.</summary>
    public static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (var at = 0; at < bytes.Length;)
        {
            Assert.True(bytes.Length - at >= 16, $"{path}: cut-off record at byte {at}");
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
            Assert.Equal(Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            Assert.True(at + 16 + length <= bytes.Length, $"{path}: record at byte {at} runs past the end");
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)));
            records.Add(data.ToArray());
            at += 16 + length;
        }
        return records;
    }

    public static List<TensorBoardEvent> Read(string path) => Records(path).Select(Event).ToList();

    private static TensorBoardEvent Event(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        int? session = null;
        var values = new List<TensorBoardValue>();
        foreach (var (field, wire, value) in Fields(data))
        {
            switch (field)
            {
                case 1: Assert.Equal(1, wire); wallTime = BinaryPrimitives.ReadDoubleLittleEndian(value); break;
                case 2: Assert.Equal(0, wire); step = (long)Varint(value); break;
                case 3: fileVersion = Encoding.UTF8.GetString(value); break;
                case 5:
                    foreach (var (f, _, v) in Fields(value)) if (f == 1) values.Add(Value(v));
                    break;
                case 7:
                    session = 0;
                    foreach (var (f, _, v) in Fields(value)) if (f == 1) session = (int)Varint(v);
                    break;
                default: Assert.Fail($"unexpected Event field {field}"); break;
            }
        }
        return new TensorBoardEvent(wallTime, step, fileVersion, session, values);
    }

    private static TensorBoardValue Value(byte[] data)
    {
        string tag = "";
        float? simple = null;
        string? plugin = null, text = null;
        int? dtype = null;
        long[]? shape = null;
        foreach (var (field, wire, value) in Fields(data))
        {
            switch (field)
            {
                case 1: tag = Encoding.UTF8.GetString(value); break;
                case 2: Assert.Equal(5, wire); simple = BinaryPrimitives.ReadSingleLittleEndian(value); break;
                case 9:                                                     // SummaryMetadata
                    foreach (var (f, _, v) in Fields(value))
                        if (f == 1)                                         // PluginData
                            foreach (var (pf, _, pv) in Fields(v)) if (pf == 1) plugin = Encoding.UTF8.GetString(pv);
                    break;
                case 8:                                                     // TensorProto
                    var dims = new List<long>();
                    foreach (var (f, _, v) in Fields(value))
                    {
                        if (f == 1) dtype = (int)Varint(v);
                        if (f == 2)
                            foreach (var (sf, _, dim) in Fields(v))
                                if (sf == 2) dims.Add(Fields(dim).Where(d => d.field == 1).Select(d => (long)Varint(d.value)).Single());
                        if (f == 8) text = Encoding.UTF8.GetString(v);
                    }
                    shape = dims.ToArray();
                    break;
                default: Assert.Fail($"unexpected Summary.Value field {field}"); break;
            }
        }
        return new TensorBoardValue(tag, simple, plugin, dtype, shape, text);
    }

    /// <summary>The fields of a protobuf message; a varint's value is returned as its raw bytes.</summary>
    private static List<(int field, int wire, byte[] value)> Fields(byte[] message)
    {
        var fields = new List<(int, int, byte[])>();
        for (var at = 0; at < message.Length;)
        {
            var key = ReadVarint(message, ref at);
            int start = at, wire = (int)(key & 7);
            var length = wire switch
            {
                0 => SkipVarint(message, at),
                1 => 8,
                5 => 4,
                2 => (int)ReadVarint(message, ref at),
                _ => throw new InvalidDataException($"wire type {wire}"),
            };
            if (wire == 2) start = at;
            fields.Add(((int)(key >> 3), wire, message[start..(start + length)]));
            at = start + length;
        }
        return fields;
    }

    private static int SkipVarint(byte[] data, int at)
    {
        var start = at;
        while ((data[at++] & 0x80) != 0) { }
        return at - start;
    }

    private static ulong Varint(byte[] bytes)
    {
        var at = 0;
        return ReadVarint(bytes, ref at);
    }

    private static ulong ReadVarint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
