// y = x Wᵀ + b, initialised as torch.nn.Linear (kaiming_uniform with a = √5, bias U(±1/√fan_in)).
using static Transformer.Torch.torch;

namespace Transformer.Torch.Modules;

public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight { get; }
    public Parameter? bias { get; }
    public long in_features { get; }
    public long out_features { get; }

    internal Linear(long inFeatures, long outFeatures, bool hasBias, Device? device, ScalarType? dtype) : base(nameof(Linear))
    {
        in_features = inFeatures;
        out_features = outFeatures;
        weight = new Parameter(empty(new[] { outFeatures, inFeatures }, dtype, device));
        register_parameter(nameof(weight), weight);
        if (hasBias)
        {
            bias = new Parameter(empty(new[] { outFeatures }, dtype, device));
            register_parameter(nameof(bias), bias);
        }
        reset_parameters();
    }

    public void reset_parameters()
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        var bound = in_features > 0 ? 1 / Math.Sqrt(in_features) : 0;
        nn.init.uniform_(bias, -bound, bound);
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
