// Prints tensors as PyTorch does: tensor([[1., 2.], [3., 4.]], dtype=…, requires_grad=True).
namespace Transformer.Torch;

internal static class TensorFormatter
{
    public static string Format(torch.Tensor t)
    {
        using var cpu = t.detach().to(torch.CPU, ScalarType.Float64);
        return "tensor(" + string.Join(", ", cpu.data<double>()) + ")";
    }
}
