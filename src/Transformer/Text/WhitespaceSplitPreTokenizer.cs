// Hugging Face's "WhitespaceSplit" pre-tokenizer: pieces are the runs of non-whitespace.
namespace Transformer.Text;

internal sealed class WhitespaceSplitPreTokenizer : PreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> text, PieceSink sink)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var space = CharClass.KindAt(text, i, out _) == CharKind.Space;   // whitespace is never a surrogate
            if (space && start >= 0)
            {
                sink.Add(text[start..i]);
                start = -1;
            }
            else if (!space && start < 0) start = i;
        }
        if (start >= 0) sink.Add(text[start..]);
    }

    public override void Write(TokenizerJsonWriter json) =>
        json.StartObject().Property("type", "WhitespaceSplit").EndObject();
}
