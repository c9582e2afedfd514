// TorchSharp's AdamW with a one-pass step: each contiguous float32 CPU parameter is updated in a single sweep over
// param, grad, exp_avg and exp_avg_sq instead of ~8 libtorch operators and their temporaries. The state stays
// TorchSharp's AdamW.State, so state_dict, load_state_dict and checkpoints are those of plain AdamW.
using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class FusedAdamW : AdamW
{
    // Elements per parallel chunk: a chunk moves ~28 bytes per element, so 2¹⁵ elements (~1 MB) outweigh the hand-off.
    private const long Grain = 1 << 15;

    public FusedAdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) { }

    public FusedAdamW(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) { }

    /// <summary>The update of AdamW.step, with each group's current options (so a scheduler's LearningRate applies);
    /// equal to it within float rounding where fused, the same operators otherwise.</summary>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        var lr = options.LearningRate!.Value;
        var (beta1, beta2, eps) = (options.beta1!.Value, options.beta2!.Value, options.eps!.Value);
        var (weightDecay, amsgrad, maximize) = (options.weight_decay!.Value, options.amsgrad!.Value, options.maximize!.Value);
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (Fusable(param, grad, state, amsgrad))
            {
                var scalars = new Scalars(
                    Decay: (float)(1 - lr * weightDecay), Sign: maximize ? -1f : 1f, Beta1: (float)beta1, OneMinusBeta1: (float)(1 - beta1),
                    Beta2: (float)beta2, OneMinusBeta2: (float)(1 - beta2), BiasCorrection2Sqrt: (float)Math.Sqrt(biasCorrection2),
                    Eps: (float)eps, NegativeStepSize: (float)(-lr / biasCorrection1));
                Update(param, grad, state, amsgrad, scalars);
                continue;
            }
            // TorchSharp's AdamW.step for this parameter, operator for operator.
            if (maximize) grad = -grad;
            param.mul_(1 - lr * weightDecay);
            state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
            state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            Tensor denom;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denom = (state.max_exp_avg_sq.sqrt() / Math.Sqrt(biasCorrection2)).add_(eps);
            }
            else
            {
                denom = (state.exp_avg_sq.sqrt() / Math.Sqrt(biasCorrection2)).add_(eps);
            }
            param.addcdiv_(state.exp_avg, denom, value: -lr / biasCorrection1);
        }
    }, closure);

    private static bool Fusable(Tensor param, Tensor grad, State state, bool amsgrad)
    {
        if (!Fused.Accelerated) return false;
        var n = param.numel();
        bool Plain(Tensor? t) => t is not null && Fused.IsPlainFloat(t) && t.numel() == n && t.is_contiguous();
        return Plain(param) && Plain(grad) && Plain(state.exp_avg) && Plain(state.exp_avg_sq) && (!amsgrad || Plain(state.max_exp_avg_sq));
    }

    /// <summary>The step's scalars, rounded to float as libtorch rounds a double scalar for a float32 tensor.</summary>
    private readonly record struct Scalars(float Decay, float Sign, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float BiasCorrection2Sqrt, float Eps, float NegativeStepSize);

    private static unsafe void Update(Tensor param, Tensor grad, State state, bool amsgrad, Scalars c)
    {
        var n = param.numel();
        if (n == 0) return;
        var p = Fused.Data<float>(param);
        var g = Fused.Data<float>(grad);
        var m = Fused.Data<float>(state.exp_avg);
        var v = Fused.Data<float>(state.exp_avg_sq);
        var vmax = amsgrad ? Fused.Data<float>(state.max_exp_avg_sq) : null;
        Fused.ParallelFor(n, Grain, 16, (begin, end) => Kernel(p, g, m, v, vmax, begin, end, c));
    }

    // Per element, TorchSharp's operators in their order and in float: p·decay; m·β1 + (1−β1)·g; v·β2 + ((1−β2)·g)·g;
    // [vmax = max(vmax, v)]; p + (−step·m) / (√v / √bc2 + ε). A maximized gradient is negated (exactly) by Sign.
    private static unsafe void Kernel(float* p, float* g, float* m, float* v, float* vmax, long begin, long end, Scalars c)
    {
        var i = begin;
        var decay = Vector512.Create(c.Decay);
        var sign = Vector512.Create(c.Sign);
        var b1 = Vector512.Create(c.Beta1);
        var omb1 = Vector512.Create(c.OneMinusBeta1);
        var b2 = Vector512.Create(c.Beta2);
        var omb2 = Vector512.Create(c.OneMinusBeta2);
        var bc2 = Vector512.Create(c.BiasCorrection2Sqrt);
        var eps = Vector512.Create(c.Eps);
        var step = Vector512.Create(c.NegativeStepSize);
        for (; i + 16 <= end; i += 16)
        {
            var gi = Vector512.Load(g + i) * sign;
            var mi = Vector512.Load(m + i) * b1 + omb1 * gi;
            var vi = Vector512.Load(v + i) * b2 + omb2 * gi * gi;
            mi.Store(m + i);
            vi.Store(v + i);
            if (vmax is not null)
            {
                vi = Vector512.Max(Vector512.Load(vmax + i), vi);
                vi.Store(vmax + i);
            }
            var denom = Vector512.Sqrt(vi) / bc2 + eps;
            (Vector512.Load(p + i) * decay + step * mi / denom).Store(p + i);
        }
        for (; i < end; i++)
        {
            var gi = g[i] * c.Sign;
            var mi = m[i] * c.Beta1 + c.OneMinusBeta1 * gi;
            var vi = v[i] * c.Beta2 + c.OneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax is not null) vi = vmax[i] = MathF.Max(vmax[i], vi);
            p[i] = p[i] * c.Decay + c.NegativeStepSize * mi / (MathF.Sqrt(vi) / c.BiasCorrection2Sqrt + c.Eps);
        }
    }
}
