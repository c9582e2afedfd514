// A tensor that is a module's learnable weight: a leaf that requires grad and belongs to its module,
// never to a dispose scope.
namespace Transformer.Torch.Modules;

public sealed class Parameter : Transformer.Torch.torch.Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s storage (as torch.nn.Parameter does) and takes its handle:
    /// <paramref name="data"/> itself is no longer usable afterwards.</summary>
    public Parameter(Transformer.Torch.torch.Tensor data, bool requires_grad = true) : base(Leaf(data))
    {
        this.requires_grad = requires_grad;
    }

    private static Transformer.Torch.torch.Tensor Leaf(Transformer.Torch.torch.Tensor data)
    {
        if (data.is_leaf && !data.requires_grad) return data;
        var leaf = data.detach();
        data.Dispose();
        return leaf;
    }
}
