// The residual connection around every sub-layer, in both placements of the layer norm:
// post-LN (the paper): norm(x + dropout(f(x)));  pre-LN: x + dropout(f(norm(x))).
using Transformer.Torch.Modules;
using static Transformer.Torch.torch;

namespace Transformer.Models;

public static class Residual
{
    public static Tensor Apply(Tensor x, LayerNorm norm, bool normFirst, double dropout, bool training, Func<Tensor, Tensor> sublayer)
    {
        if (normFirst)
        {
            using var normed = norm.forward(x);
            using var y = sublayer(normed);
            using var dropped = nn.functional.fused_dropout(y, dropout, training);
            return x + dropped;
        }
        using var output = sublayer(x);
        using var droppedOutput = nn.functional.fused_dropout(output, dropout, training);
        using var sum = x + droppedOutput;
        return norm.forward(sum);
    }
}
