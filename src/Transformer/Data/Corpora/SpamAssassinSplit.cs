// One split of the labeled messages, by label.
namespace Transformer.Data.Corpora;

public sealed record SpamAssassinSplit(string Name, int Spam, int Ham)
{
    public int Messages => Spam + Ham;
}
