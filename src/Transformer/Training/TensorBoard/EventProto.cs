// TensorBoard's Event protobuf (tensorflow/core/util/event.proto and framework/summary.proto), hand-encoded: the few
// fields that a file header, scalars, a text summary and a session start need, and the step and tags that a resume
// reads back to drop records. Field numbers are the .proto files'; proto3 leaves zero values out.
using System.Buffers.Binary;
using System.Text;

namespace Transformer.Training.TensorBoard;

internal static class EventProto
{
    /// <summary>The first record of every events file.</summary>
    public const string FileVersion = "brain.Event:2";

    public static byte[] Header(double wallTime) => Event(wallTime, 0).String(3, FileVersion).ToArray();

    /// <summary>One event holding a Summary.Value{tag, simple_value} per scalar.</summary>
    public static byte[] Scalars(double wallTime, long step, IEnumerable<(string tag, float value)> scalars)
    {
        var summary = new ProtoWriter();
        foreach (var (tag, value) in scalars) summary.Message(1, new ProtoWriter().String(1, tag).Float(2, value));
        return Event(wallTime, step).Message(5, summary).ToArray();
    }

    /// <summary>A text summary as the text plugin reads it (what tf.summary.text and PyTorch's add_text write): a
    /// DT_STRING tensor of shape [1] with plugin_data.plugin_name "text"; the plugin renders it as Markdown.</summary>
    public static byte[] Text(double wallTime, long step, string tag, string markdown)
    {
        const int tensorDataClass = 2, stringDtype = 7;
        var metadata = new ProtoWriter().Message(1, new ProtoWriter().String(1, "text")).Varint(4, tensorDataClass);
        var shape = new ProtoWriter().Message(2, new ProtoWriter().Varint(1, 1));
        var tensor = new ProtoWriter().Varint(1, stringDtype).Message(2, shape).Bytes(8, Encoding.UTF8.GetBytes(markdown));
        var value = new ProtoWriter().String(1, tag).Message(9, metadata).Message(8, tensor);
        return Event(wallTime, step).Message(5, new ProtoWriter().Message(1, value)).ToArray();
    }

    /// <summary>SessionLog{status: START}: TensorBoard's Python loader then forgets the events it holds at this step
    /// and later (orphans of a session that died after its last checkpoint), without being restarted.</summary>
    public static byte[] SessionStart(double wallTime, long step) =>
        Event(wallTime, step).Message(7, new ProtoWriter().Varint(1, 1)).ToArray();

    private static ProtoWriter Event(double wallTime, long step)
    {
        var writer = new ProtoWriter().Double(1, wallTime);
        return step == 0 ? writer : writer.Varint(2, (ulong)step);
    }

    /// <summary>An event's step and the tags of its summary values, or null when the record is not an Event.</summary>
    public static (long step, List<string> tags)? StepAndTags(byte[] data)
    {
        try
        {
            long step = 0;
            var tags = new List<string>();
            foreach (var (field, value) in Fields(data))
            {
                if (field == 2) step = (long)value.Varint;
                if (field != 5) continue;
                foreach (var (summaryField, summaryValue) in Fields(value.Bytes))
                    if (summaryField == 1)
                        foreach (var (valueField, tag) in Fields(summaryValue.Bytes))
                            if (valueField == 1) tags.Add(Encoding.UTF8.GetString(tag.Bytes.Span));
            }
            return (step, tags);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private readonly record struct FieldValue(ulong Varint, ReadOnlyMemory<byte> Bytes);

    private static IEnumerable<(int field, FieldValue value)> Fields(ReadOnlyMemory<byte> message)
    {
        for (var at = 0; at < message.Length;)
        {
            var key = ReadVarint(message.Span, ref at);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    yield return (field, new FieldValue(ReadVarint(message.Span, ref at), default));
                    break;
                case 1 or 5:
                    var size = (key & 7) == 1 ? 8 : 4;
                    if (message.Length - at < size) throw new InvalidDataException("truncated fixed-size field");
                    yield return (field, new FieldValue(0, message.Slice(at, size)));
                    at += size;
                    break;
                case 2:
                    var length = ReadVarint(message.Span, ref at);
                    if (length > (ulong)(message.Length - at)) throw new InvalidDataException("truncated length-delimited field");
                    yield return (field, new FieldValue(0, message.Slice(at, (int)length)));
                    at += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7}");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw new InvalidDataException("truncated varint");
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("varint longer than 10 bytes");
    }

    /// <summary>Builds one message; a nested message is built on its own and written as a length-delimited field.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream buffer = new();

        public ProtoWriter Varint(int field, ulong value)
        {
            Key(field, 0);
            WriteVarint(value);
            return this;
        }

        public ProtoWriter Double(int field, double value)
        {
            Key(field, 1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            buffer.Write(bytes);
            return this;
        }

        public ProtoWriter Float(int field, float value)
        {
            Key(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            buffer.Write(bytes);
            return this;
        }

        public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
        {
            Key(field, 2);
            WriteVarint((ulong)value.Length);
            buffer.Write(value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Message(int field, ProtoWriter inner) => Bytes(field, inner.buffer.GetBuffer().AsSpan(0, (int)inner.buffer.Length));

        public byte[] ToArray() => buffer.ToArray();

        private void Key(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

        private void WriteVarint(ulong value)
        {
            for (; value >= 0x80; value >>= 7) buffer.WriteByte((byte)(value | 0x80));
            buffer.WriteByte((byte)value);
        }
    }
}
