// Normalises over the trailing dimensions, then scales and shifts (torch.nn.LayerNorm).
using static Transformer.Torch.torch;

namespace Transformer.Torch.Modules;

public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight { get; }
    public Parameter? bias { get; }
    public long[] normalized_shape { get; }
    public double eps { get; }

    internal LayerNorm(long[] normalizedShape, double eps, bool elementwiseAffine, Device? device, ScalarType? dtype) : base(nameof(LayerNorm))
    {
        normalized_shape = normalizedShape;
        this.eps = eps;
        if (!elementwiseAffine) return;
        weight = new Parameter(ones(normalizedShape, dtype, device));
        bias = new Parameter(zeros(normalizedShape, dtype, device));
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, normalized_shape, weight, bias, eps);
}
