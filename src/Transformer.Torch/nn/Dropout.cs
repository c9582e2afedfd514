// Zeroes elements with probability p while training; the identity in eval mode.
using static Transformer.Torch.torch;

namespace Transformer.Torch.Modules;

public sealed class Dropout : nn.Module<Tensor, Tensor>
{
    public double p { get; }

    internal Dropout(double p) : base(nameof(Dropout))
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability has to be between 0 and 1");
        this.p = p;
    }

    public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training);
}
