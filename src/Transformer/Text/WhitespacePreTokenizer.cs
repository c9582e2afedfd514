// Hugging Face's "Whitespace" pre-tokenizer, the regex \w+|[^\w\s]+: runs of word characters and runs
// of punctuation/symbols become pieces; whitespace separates them and is dropped.
namespace Transformer.Text;

internal sealed class WhitespacePreTokenizer : PreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> text, PieceSink sink)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (CharClass.KindAt(text, i, out var width) == CharKind.Space)
            {
                i += width;
                continue;
            }
            var word = CharClass.IsWordAt(text, i, out width);
            var end = i + width;
            while (end < text.Length && CharClass.KindAt(text, end, out _) != CharKind.Space
                   && CharClass.IsWordAt(text, end, out width) == word)
                end += width;
            sink.Add(text[i..end]);
            i = end;
        }
    }

    public override void Write(TokenizerJsonWriter json) =>
        json.StartObject().Property("type", "Whitespace").EndObject();
}
