// Receives the pieces ("words") a pre-tokenizer cuts the text into, one at a time.
namespace Transformer.Text;

internal abstract class PieceSink
{
    public abstract void Add(ReadOnlySpan<char> piece);
}
