// PyTorch's torch.equal, which TorchSharp spells differently (its Tensor.equal is elementwise eq).
using static TorchSharp.torch;

namespace Transformer.Engine;

public static class TensorEquality
{
    /// <summary>True when both tensors have the same shape and every element is equal (NaN equals nothing), as
    /// torch.equal(a, b).</summary>
    public static bool Identical(this Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var same = a.eq(b);
        using var all = same.all();
        return all.item<bool>();
    }
}
