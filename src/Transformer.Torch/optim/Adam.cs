// Adam and AdamW with PyTorch 1.13's update, run natively in one call per step (tsh_adam_step).
using System.Text.Json.Nodes;
using Transformer.Torch.Modules;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class optim
    {
        public sealed class AdamParamGroup : ParamGroup
        {
            public AdamParamGroup(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad)
                : base(parameters, lr)
            {
                if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Invalid epsilon value");
                if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Invalid beta parameter at index 0");
                if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Invalid beta parameter at index 1");
                if (!(weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "Invalid weight_decay value");
                this.beta1 = beta1;
                this.beta2 = beta2;
                this.eps = eps;
                this.weight_decay = weight_decay;
                this.amsgrad = amsgrad;
            }

            public double beta1 { get; set; }
            public double beta2 { get; set; }
            public double eps { get; set; }
            public double weight_decay { get; set; }
            public bool amsgrad { get; set; }
        }

        /// <summary>Adam (weight decay added to the gradient); AdamW derives from it with decoupled decay.</summary>
        public class Adam : Optimizer
        {
            private sealed class State
            {
                public long step;
                public Tensor exp_avg = null!;
                public Tensor exp_avg_sq = null!;
                public Tensor? max_exp_avg_sq;
            }

            private readonly Dictionary<Parameter, State> state = new(ReferenceEqualityComparer.Instance);
            private readonly bool decoupled;

            public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false, bool fused = true)
                : this(new[] { new AdamParamGroup(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad) }, maximize, decoupled: false, fused) { }

            public Adam(IEnumerable<AdamParamGroup> groups, bool maximize = false, bool fused = true) : this(groups, maximize, decoupled: false, fused) { }

            protected Adam(IEnumerable<AdamParamGroup> groups, bool maximize, bool decoupled, bool fused) : base(groups)
            {
                this.maximize = maximize;
                this.decoupled = decoupled;
                this.fused = fused;
            }

            /// <summary>One pass per parameter for contiguous float32 CPU tensors (the default): equal to PyTorch's
            /// single-tensor update within float rounding. False runs PyTorch 1.13's operators in its order, bit for bit.</summary>
            public bool fused { get; }

            public bool maximize { get; }

            public override unsafe void step()
            {
                using var _ = no_grad();
                foreach (AdamParamGroup g in param_groups)
                {
                    var active = new List<(Parameter p, State s)>();
                    foreach (var p in g.Parameters)
                    {
                        using var grad = p.grad;
                        if (grad is null) continue;
                        if (!state.TryGetValue(p, out var s))
                        {
                            s = new State { exp_avg = zeros_like(p).DetachFromDisposeScope(), exp_avg_sq = zeros_like(p).DetachFromDisposeScope() };
                            state[p] = s;
                        }
                        if (g.amsgrad) s.max_exp_avg_sq ??= zeros_like(p).DetachFromDisposeScope();
                        s.step++;
                        active.Add((p, s));
                    }
                    if (active.Count == 0) continue;
                    var n = active.Count;
                    var raw = new IntPtr[4 * n];
                    var steps = new long[n];
                    for (var i = 0; i < n; i++)
                    {
                        raw[i] = active[i].p.Handle.DangerousGetHandle();
                        raw[n + i] = active[i].s.exp_avg.Handle.DangerousGetHandle();
                        raw[2 * n + i] = active[i].s.exp_avg_sq.Handle.DangerousGetHandle();
                        raw[3 * n + i] = active[i].s.max_exp_avg_sq?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
                        steps[i] = active[i].s.step;
                    }
                    fixed (IntPtr* h = raw)
                    fixed (long* st = steps)
                        NativeStatus.Check(tsh_adam_step(h, h + n, h + 2 * n, h + 3 * n, st, n, g.lr, g.beta1, g.beta2, g.eps,
                            g.weight_decay, decoupled ? 1 : 0, g.amsgrad ? 1 : 0, maximize ? 1 : 0, fused ? 1 : 0));
                    GC.KeepAlive(active);
                }
            }

            protected override IEnumerable<(string name, Tensor? tensor)> StateTensors(Parameter p)
            {
                if (!state.TryGetValue(p, out var s)) yield break;
                yield return ("exp_avg", s.exp_avg);
                yield return ("exp_avg_sq", s.exp_avg_sq);
                yield return ("max_exp_avg_sq", s.max_exp_avg_sq);
            }

            protected override JsonObject? StateMetadata(Parameter p) =>
                state.TryGetValue(p, out var s) ? new JsonObject { ["step"] = s.step } : null;

            protected override void RestoreState(Parameter p, IReadOnlyDictionary<string, Tensor> tensors, JsonObject? meta)
            {
                if (state.Remove(p, out var old)) Free(old);
                if (meta is null) return;
                if (!tensors.TryGetValue("exp_avg", out var m) || !tensors.TryGetValue("exp_avg_sq", out var v))
                    throw new ArgumentException("Adam state lacks exp_avg or exp_avg_sq");
                state[p] = new State
                {
                    step = meta["step"]?.GetValue<long>() ?? throw new ArgumentException("Adam state lacks its step count"),
                    exp_avg = Own(m, p),
                    exp_avg_sq = Own(v, p),
                    max_exp_avg_sq = tensors.TryGetValue("max_exp_avg_sq", out var mx) ? Own(mx, p) : null,
                };
            }

            protected override JsonObject GroupMetadata(ParamGroup group)
            {
                var g = (AdamParamGroup)group;
                return new JsonObject
                {
                    ["betas"] = new JsonArray(g.beta1, g.beta2), ["eps"] = g.eps, ["weight_decay"] = g.weight_decay, ["amsgrad"] = g.amsgrad,
                };
            }

            protected override void RestoreGroup(ParamGroup group, JsonObject meta)
            {
                var g = (AdamParamGroup)group;
                var betas = meta["betas"]!.AsArray();
                g.beta1 = betas[0]!.GetValue<double>();
                g.beta2 = betas[1]!.GetValue<double>();
                g.eps = meta["eps"]!.GetValue<double>();
                g.weight_decay = meta["weight_decay"]!.GetValue<double>();
                g.amsgrad = meta["amsgrad"]!.GetValue<bool>();
            }

            private static void Free(State s)
            {
                s.exp_avg.Dispose();
                s.exp_avg_sq.Dispose();
                s.max_exp_avg_sq?.Dispose();
            }

            public override void Dispose()
            {
                foreach (var s in state.Values) Free(s);
                state.Clear();
                base.Dispose();
            }
        }

        /// <summary>AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter), default decay 0.01 as in PyTorch.</summary>
        public sealed class AdamW : Adam
        {
            public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0.01, bool amsgrad = false, bool maximize = false, bool fused = true)
                : base(new[] { new AdamParamGroup(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad) }, maximize, decoupled: true, fused) { }

            public AdamW(IEnumerable<AdamParamGroup> groups, bool maximize = false, bool fused = true) : base(groups, maximize, decoupled: true, fused) { }
        }
    }
}
