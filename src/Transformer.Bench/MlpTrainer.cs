// A small MLP regression problem trained with AdamW: the workload of the memory and step benchmarks.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal sealed class MlpTrainer : IDisposable
{
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly TorchSharp.Modules.AdamW optimizer;
    private readonly Tensor inputs;
    private readonly Tensor targets;

    public MlpTrainer(long width, long hiddenWidth, long batch)
    {
        manual_seed(0);
        hidden = nn.Linear(width, hiddenWidth);
        output = nn.Linear(hiddenWidth, width);
        optimizer = optim.AdamW(hidden.parameters().Concat(output.parameters()), lr: 1e-3);
        inputs = randn(batch, width);
        targets = randn(batch, width);
    }

    /// <summary>One step inside its own dispose scope; returns the loss.</summary>
    public float Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var prediction = output.forward(nn.functional.gelu(hidden.forward(inputs)));
        var loss = nn.functional.mse_loss(prediction, targets);
        loss.backward();
        nn.utils.clip_grad_norm_(hidden.parameters().Concat(output.parameters()), 1.0);
        optimizer.step();
        return loss.item<float>();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        hidden.Dispose();
        output.Dispose();
        inputs.Dispose();
        targets.Dispose();
    }
}
