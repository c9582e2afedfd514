// Undoes the byte-level alphabet: every character of a token stands for one byte, and the bytes of all
// tokens together are decoded as UTF-8 (invalid sequences become U+FFFD). A token with a character
// outside the alphabet (an added token such as "my token") contributes its own UTF-8 bytes.
using System.Text;

namespace Transformer.Text;

internal sealed class ByteLevelDecoder : TokenDecoder
{
    public ByteLevelDecoder(ByteLevelSettings settings) => Settings = settings;

    public ByteLevelSettings Settings { get; }

    public override List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            var mapped = true;
            foreach (var c in token)
            {
                if (ByteLevelAlphabet.ByteOf(c) < 0)
                {
                    mapped = false;
                    break;
                }
            }
            if (mapped)
                foreach (var c in token) bytes.Add((byte)ByteLevelAlphabet.ByteOf(c));
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        return [Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes))];
    }

    public override void Write(TokenizerJsonWriter json) => Settings.Write(json);
}
