// A tiny SentencePiece .model written by hand (protobuf ModelProto: pieces, trainer_spec, normalizer_spec), so
// the sentencepiece kind is tested from a real file without the sentencepiece trainer.
using System.Text;

namespace Transformer.Tests;

internal static class SentencePieceModelFile
{
    /// <summary>Pieces in id order: &lt;unk&gt; &lt;s&gt; &lt;/s&gt; then <paramref name="pieces"/> (normal, with scores).
    /// model_type 1 = Unigram, 2 = BPE; identity normalization, a dummy prefix, spaces as ▁.</summary>
    public static byte[] Create(int modelType, params (string Piece, float Score)[] pieces)
    {
        var model = new MemoryStream();
        void Piece(string text, float score, int type) =>
            Message(model, 1, m => { String(m, 1, text); Float(m, 2, score); Varint(m, 3, type); });
        Piece("<unk>", 0, 2);
        Piece("<s>", 0, 3);
        Piece("</s>", 0, 3);
        foreach (var (text, score) in pieces) Piece(text, score, 1);
        Message(model, 2, m =>
        {
            Varint(m, 3, modelType);
            Varint(m, 4, 3 + pieces.Length);
            Varint(m, 40, 0);
            Varint(m, 41, 1);
            Varint(m, 42, 2);
            Varint(m, 43, -1);
        });
        Message(model, 3, m => { String(m, 1, "identity"); Varint(m, 3, 1); Varint(m, 4, 1); Varint(m, 5, 1); });
        return model.ToArray();
    }

    private static void Tag(Stream s, int field, int wireType) => Raw(s, (ulong)((field << 3) | wireType));

    private static void Raw(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    private static void Varint(Stream s, int field, long value)
    {
        Tag(s, field, 0);
        Raw(s, (ulong)value);
    }

    private static void Float(Stream s, int field, float value)
    {
        Tag(s, field, 5);
        s.Write(BitConverter.GetBytes(value));
    }

    private static void String(Stream s, int field, string value) => Bytes(s, field, Encoding.UTF8.GetBytes(value));

    private static void Bytes(Stream s, int field, byte[] value)
    {
        Tag(s, field, 2);
        Raw(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void Message(Stream s, int field, Action<Stream> write)
    {
        var inner = new MemoryStream();
        write(inner);
        Bytes(s, field, inner.ToArray());
    }
}
