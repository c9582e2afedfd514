// Which optimizer training.optimizer.name selects.
namespace Transformer.Configuration;

public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (Loshchilov & Hutter 2019).</summary>
    AdamW,
    /// <summary>Adam (Kingma & Ba 2015); weight_decay is added to the gradient (L2), as in PyTorch.</summary>
    Adam,
    /// <summary>Stochastic gradient descent, with optional (Nesterov) momentum.</summary>
    Sgd,
}
