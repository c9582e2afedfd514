// Stochastic gradient descent with momentum, dampening and Nesterov (torch.optim.SGD), one native call per step.
using System.Text.Json.Nodes;
using Transformer.Torch.Modules;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class optim
    {
        public sealed class SGDParamGroup : ParamGroup
        {
            public SGDParamGroup(IEnumerable<Parameter> parameters, double lr, double momentum, double dampening, double weight_decay, bool nesterov)
                : base(parameters, lr)
            {
                if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Invalid momentum value");
                if (!(weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "Invalid weight_decay value");
                if (nesterov && (momentum <= 0 || dampening != 0))
                    throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
                this.momentum = momentum;
                this.dampening = dampening;
                this.weight_decay = weight_decay;
                this.nesterov = nesterov;
            }

            public double momentum { get; set; }
            public double dampening { get; set; }
            public double weight_decay { get; set; }
            public bool nesterov { get; set; }
        }

        public sealed class SGD : Optimizer
        {
            private readonly Dictionary<Parameter, Tensor> momentumBuffers = new(ReferenceEqualityComparer.Instance);

            public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
                bool nesterov = false, bool maximize = false)
                : this(new[] { new SGDParamGroup(parameters, lr, momentum, dampening, weight_decay, nesterov) }, maximize) { }

            public SGD(IEnumerable<SGDParamGroup> groups, bool maximize = false) : base(groups) => this.maximize = maximize;

            public bool maximize { get; }

            public override unsafe void step()
            {
                using var _ = no_grad();
                foreach (SGDParamGroup g in param_groups)
                {
                    var active = new List<Parameter>();
                    foreach (var p in g.Parameters)
                    {
                        using var grad = p.grad;
                        if (grad is not null) active.Add(p);
                    }
                    if (active.Count == 0) continue;
                    var n = active.Count;
                    var raw = new IntPtr[2 * n];
                    var created = new IntPtr[n];
                    for (var i = 0; i < n; i++)
                    {
                        raw[i] = active[i].Handle.DangerousGetHandle();
                        raw[n + i] = momentumBuffers.TryGetValue(active[i], out var b) ? b.Handle.DangerousGetHandle() : IntPtr.Zero;
                    }
                    fixed (IntPtr* h = raw)
                    fixed (IntPtr* c = created)
                    {
                        var status = tsh_sgd_step(h, h + n, c, n, g.lr, g.momentum, g.dampening, g.weight_decay, g.nesterov ? 1 : 0, maximize ? 1 : 0);
                        for (var i = 0; i < n; i++)
                            if (created[i] != IntPtr.Zero) momentumBuffers[active[i]] = new Tensor(created[i], scoped: false);
                        NativeStatus.Check(status);
                    }
                    GC.KeepAlive(active);
                }
            }

            protected override IEnumerable<(string name, Tensor? tensor)> StateTensors(Parameter p)
            {
                if (momentumBuffers.TryGetValue(p, out var b)) yield return ("momentum_buffer", b);
            }

            protected override JsonObject? StateMetadata(Parameter p) => null;

            protected override void RestoreState(Parameter p, IReadOnlyDictionary<string, Tensor> tensors, JsonObject? meta)
            {
                if (momentumBuffers.Remove(p, out var old)) old.Dispose();
                if (tensors.TryGetValue("momentum_buffer", out var b)) momentumBuffers[p] = Own(b, p);
            }

            protected override JsonObject GroupMetadata(ParamGroup group)
            {
                var g = (SGDParamGroup)group;
                return new JsonObject { ["momentum"] = g.momentum, ["dampening"] = g.dampening, ["weight_decay"] = g.weight_decay, ["nesterov"] = g.nesterov };
            }

            protected override void RestoreGroup(ParamGroup group, JsonObject meta)
            {
                var g = (SGDParamGroup)group;
                g.momentum = meta["momentum"]!.GetValue<double>();
                g.dampening = meta["dampening"]!.GetValue<double>();
                g.weight_decay = meta["weight_decay"]!.GetValue<double>();
                g.nesterov = meta["nesterov"]!.GetValue<bool>();
            }

            public override void Dispose()
            {
                foreach (var b in momentumBuffers.Values) b.Dispose();
                momentumBuffers.Clear();
                base.Dispose();
            }
        }
    }
}
