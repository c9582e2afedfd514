// The number format the matmuls of forward passes run in (training.precision).
namespace Transformer.Configuration;

public enum Precision
{
    /// <summary>float32 everywhere.</summary>
    Fp32,
    /// <summary>Mixed precision: linear layers and attention's two batched products in bfloat16, everything else
    /// (master weights, gradients, optimizer state, softmax, normalisation, residuals, loss) in float32.</summary>
    Bf16,
}
