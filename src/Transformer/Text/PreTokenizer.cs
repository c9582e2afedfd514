// Cuts normalized text into pieces ("words") that the model encodes independently: Hugging Face's
// "pre_tokenizer" (ByteLevel, Whitespace, WhitespaceSplit, Split, Sequence). Immutable, thread-safe.
namespace Transformer.Text;

internal abstract class PreTokenizer
{
    public abstract void PreTokenize(ReadOnlySpan<char> text, PieceSink sink);

    public abstract void Write(TokenizerJsonWriter json);

    public static PreTokenizer? Read(TokenizerJsonNode? node)
    {
        if (node is not { } n) return null;
        return n.Type() switch
        {
            "ByteLevel" => new ByteLevelPreTokenizer(ByteLevelSettings.Read(n)),
            "Whitespace" => new WhitespacePreTokenizer(),
            "WhitespaceSplit" => new WhitespaceSplitPreTokenizer(),
            "Split" => SplitPreTokenizer.Read(n),
            "Sequence" => new SequencePreTokenizer(
                n.Get("pretokenizers").Items().Select(item => Read(item) ?? throw item.Error("expected a pre-tokenizer, found null")).ToArray()),
            _ => throw n.Unsupported("pre-tokenizer"),
        };
    }
}
