// Text the tokenizer cannot encode: a word-level or char-level vocabulary without an unk token met a word
// (or character) it does not hold.
namespace Transformer.Text;

public sealed class UnknownTokenException(string token) : TransformerException($"\"{token}\" is not in the vocabulary and the tokenizer has no unk token")
{
    public override ErrorKind Kind => ErrorKind.Tokenizer;

    public string Token { get; } = token;
}
