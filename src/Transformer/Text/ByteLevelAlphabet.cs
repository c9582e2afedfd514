// GPT-2's bytes_to_unicode: every byte gets a printable character. Bytes that are printable
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 get U+0100, U+0101, … in byte order,
// so the space (0x20) is 'Ġ' (U+0120) and the newline (0x0A) is 'Ċ' (U+010A).
namespace Transformer.Text;

internal static class ByteLevelAlphabet
{
    /// <summary>The character standing for each byte.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>The byte each character stands for, or -1; indexed by char (all are below U+0144).</summary>
    public static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>The 256 characters as one-character strings, in code point order (the BPE trainer's alphabet).</summary>
    public static IEnumerable<string> Characters => ByteToChar.Order().Select(c => c.ToString());

    private static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++) map[b] = (char)(Printable(b) ? b : next++);
        return map;
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[0x144];
        Array.Fill(map, (short)-1);
        for (var b = 0; b < 256; b++) map[ByteToChar[b]] = (short)b;
        return map;
    }

    /// <summary>The byte a character stands for, or -1 when it stands for none.</summary>
    public static int ByteOf(char c) => c < CharToByte.Length ? CharToByte[c] : -1;
}
