// The residual connection around every sub-layer, in both placements of the layer norm:
// post-LN (the paper): norm(x + dropout(f(x)));  pre-LN: x + dropout(f(norm(x))).
using Transformer.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public static class Residual
{
    public static Tensor Apply(Tensor x, LayerNorm norm, bool normFirst, double dropout, bool training, Func<Tensor, Tensor> sublayer)
    {
        if (normFirst)
        {
            using var normed = norm.forward(x);
            using var y = sublayer(normed);
            using var dropped = Fused.dropout(y, dropout, training);
            return x + dropped;
        }
        using var output = sublayer(x);
        using var droppedOutput = Fused.dropout(output, dropout, training);
        using var sum = x + droppedOutput;
        return norm.forward(sum);
    }
}
