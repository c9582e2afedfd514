// GPT-2's pre-tokenizer: optionally a leading space, then GPT-2's regex (Gpt2Pattern), then each piece's
// UTF-8 bytes spelled with ByteLevelAlphabet characters ("hello world" → "hello", "Ġworld").
using System.Buffers;
using System.Text;

namespace Transformer.Text;

internal sealed class ByteLevelPreTokenizer : PreTokenizer
{
    public ByteLevelPreTokenizer(ByteLevelSettings settings) => Settings = settings;

    public ByteLevelSettings Settings { get; }

    public override void PreTokenize(ReadOnlySpan<char> text, PieceSink sink)
    {
        if (text.IsEmpty) return;
        char[]? rented = null;
        if (Settings.AddPrefixSpace && text[0] != ' ')
        {
            rented = ArrayPool<char>.Shared.Rent(text.Length + 1);
            rented[0] = ' ';
            text.CopyTo(rented.AsSpan(1));
            text = rented.AsSpan(0, text.Length + 1);
        }
        if (!Settings.UseRegex) EmitMapped(text, sink);
        else
        {
            for (var start = 0; start < text.Length;)
            {
                var end = Gpt2Pattern.PieceEnd(text, start);
                EmitMapped(text[start..end], sink);
                start = end;
            }
        }
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
    }

    /// <summary>Spells the UTF-8 bytes of <paramref name="piece"/> with the byte-level alphabet.</summary>
    public static void EmitMapped(ReadOnlySpan<char> piece, PieceSink sink)
    {
        var map = ByteLevelAlphabet.ByteToChar;
        if (piece.Length <= 64 && System.Text.Ascii.IsValid(piece))
        {
            Span<char> ascii = stackalloc char[piece.Length];   // ASCII: one byte per char
            for (var i = 0; i < piece.Length; i++) ascii[i] = map[piece[i]];
            sink.Add(ascii);
            return;
        }
        var maxBytes = Encoding.UTF8.GetMaxByteCount(piece.Length);
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        var bytes = maxBytes <= 256 ? stackalloc byte[maxBytes] : (rentedBytes = ArrayPool<byte>.Shared.Rent(maxBytes));
        var chars = maxBytes <= 256 ? stackalloc char[maxBytes] : (rentedChars = ArrayPool<char>.Shared.Rent(maxBytes));
        var n = Encoding.UTF8.GetBytes(piece, bytes);
        for (var i = 0; i < n; i++) chars[i] = map[bytes[i]];
        sink.Add(chars[..n]);
        if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
        if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
    }

    public override void Write(TokenizerJsonWriter json) => Settings.Write(json);
}
