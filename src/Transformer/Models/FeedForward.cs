// Position-wise feed-forward network: linear2(dropout(activation(linear1(x)))), or SwiGLU's gated form
// linear2(dropout(silu(linear1(x)) ⊙ linear3(x))).
using Transformer.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    private readonly FeedForwardActivation activation;
    private readonly double dropout;

    public Linear linear1 { get; }
    public Linear linear2 { get; }
    public Linear? linear3 { get; }

    public FeedForward(int dModel, int dFeedForward, FeedForwardActivation activation, double dropout) : base(nameof(FeedForward))
    {
        this.activation = activation;
        this.dropout = dropout;
        linear1 = nn.Linear(dModel, dFeedForward);
        register_module(nameof(linear1), linear1);
        linear2 = nn.Linear(dFeedForward, dModel);
        register_module(nameof(linear2), linear2);
        if (activation != FeedForwardActivation.SwiGlu) return;
        linear3 = nn.Linear(dModel, dFeedForward);
        register_module(nameof(linear3), linear3);
    }

    public override Tensor forward(Tensor x)
    {
        using var hidden = MatmulPrecision.Linear(linear1, x);                      // (B, T, F)
        using var activated = activation switch
        {
            FeedForwardActivation.Relu => hidden.relu(),
            FeedForwardActivation.Gelu => hidden.gelu(),
            _ => Gate(hidden, x),
        };
        using var dropped = Fused.dropout(activated, dropout, training);
        return MatmulPrecision.Linear(linear2, dropped);                            // (B, T, D)
    }

    private Tensor Gate(Tensor hidden, Tensor x)
    {
        using var gate = hidden.silu();
        using var up = MatmulPrecision.Linear(linear3!, x);
        return gate * up;
    }
}
