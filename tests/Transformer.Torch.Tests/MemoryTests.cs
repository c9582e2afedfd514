// Native memory stays bounded in a training loop that uses one dispose scope per step. Runs alone
// (this assembly runs one test class at a time) so the process's resident set is this loop's.
using System.Globalization;
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class MemoryTests
{
    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1 = nn.Linear(64, 128);
        private readonly Linear fc2 = nn.Linear(128, 64);

        public Mlp() : base(nameof(Mlp)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc2.call(fc1.call(input).relu());
    }

    /// <summary>VmRSS from /proc/self/status, in kB.</summary>
    private static long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public void Training_with_one_dispose_scope_per_step_keeps_resident_memory_flat()
    {
        const int steps = 1500;
        manual_seed(0);
        using var model = new Mlp();
        using var optimizer = new optim.AdamW(model.parameters(), lr: 1e-3);
        var rss = new long[steps];
        double firstLoss = 0, lastLoss = 0;
        for (var step = 0; step < steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var x = randn(32, 64);
                var target = x.tanh();
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(model.call(x), target);
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                if (step == 0) firstLoss = loss.item<float>();
                if (step == steps - 1) lastLoss = loss.item<float>();
            }
            rss[step] = ResidentKilobytes();
        }
        var early = rss[300..600].Average();
        var late = rss[(steps - 300)..].Average();
        Assert.True(late <= early * 1.05, $"resident memory grew from {early:F0} kB (steps 300–600) to {late:F0} kB (last 300 steps)");
        Assert.True(lastLoss < firstLoss, $"the model did not learn: loss {firstLoss} → {lastLoss}");
    }
}
