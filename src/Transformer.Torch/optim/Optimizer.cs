// torch.optim.Optimizer: parameter groups with their own hyper-parameters, per-parameter state,
// and a state dictionary (tensors + JSON metadata) that restores a run exactly.
using System.Text.Json;
using System.Text.Json.Nodes;
using Transformer.Torch.Modules;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>One group of parameters sharing hyper-parameters; lr can change between steps (schedules).</summary>
        public class ParamGroup
        {
            public ParamGroup(IEnumerable<Parameter> parameters, double lr)
            {
                Parameters = parameters.ToArray();
                this.lr = lr;
            }

            public IReadOnlyList<Parameter> Parameters { get; }
            public double lr { get; set; }
            public double initial_lr { get; set; }
        }

        /// <summary>An optimizer's complete state: per-parameter tensors named `state.{index}.{name}` (indices count
        /// parameters across groups, as PyTorch's) and JSON metadata (hyper-parameters, step counts).</summary>
        public sealed record OptimizerState(IReadOnlyDictionary<string, Tensor> Tensors, string Metadata);

        public abstract class Optimizer : IDisposable
        {
            protected Optimizer(IEnumerable<ParamGroup> groups)
            {
                param_groups = groups.ToArray();
                if (param_groups.Count == 0 || param_groups.All(g => g.Parameters.Count == 0))
                    throw new ArgumentException("optimizer got an empty parameter list");
                var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var g in param_groups)
                {
                    if (!(g.lr >= 0)) throw new ArgumentOutOfRangeException(nameof(groups), g.lr, "Invalid learning rate");
                    g.initial_lr = g.lr;
                    foreach (var p in g.Parameters)
                        if (!seen.Add(p)) throw new ArgumentException("some parameters appear in more than one parameter group");
                }
            }

            public IReadOnlyList<ParamGroup> param_groups { get; }

            protected IEnumerable<Parameter> AllParameters => param_groups.SelectMany(g => g.Parameters);

            public abstract void step();

            /// <summary>Drops (set_to_none) or zeroes the gradients of every parameter of every group.</summary>
            public unsafe void zero_grad(bool set_to_none = true)
            {
                var ps = AllParameters.ToArray();
                var raw = Handles(ps);
                fixed (IntPtr* p = raw) NativeStatus.Check(tsh_zero_grad(p, raw.Length, set_to_none ? 1 : 0));
                GC.KeepAlive(ps);
            }

            /// <summary>Sets the learning rate of every group.</summary>
            public void set_lr(double lr)
            {
                foreach (var g in param_groups) g.lr = lr;
            }

            // ---- state ----
            protected abstract IEnumerable<(string name, Tensor? tensor)> StateTensors(Parameter p);
            protected abstract void RestoreState(Parameter p, IReadOnlyDictionary<string, Tensor> tensors, JsonObject? meta);
            protected abstract JsonObject? StateMetadata(Parameter p);
            protected abstract JsonObject GroupMetadata(ParamGroup g);
            protected abstract void RestoreGroup(ParamGroup g, JsonObject meta);

            /// <summary>Copies of the state tensors (owned by the caller) plus metadata.</summary>
            public OptimizerState state_dict()
            {
                var tensors = new Dictionary<string, Tensor>();
                var state = new JsonObject();
                var index = 0;
                foreach (var p in AllParameters)
                {
                    foreach (var (name, t) in StateTensors(p))
                        if (t is not null) tensors[$"state.{index}.{name}"] = Copy(t);
                    if (StateMetadata(p) is { } m) state[index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = m;
                    index++;
                }
                var groups = new JsonArray();
                index = 0;
                foreach (var g in param_groups)
                {
                    var meta = GroupMetadata(g);
                    meta["lr"] = g.lr;
                    meta["initial_lr"] = g.initial_lr;
                    meta["params"] = new JsonArray(g.Parameters.Select(_ => (JsonNode)index++).ToArray());
                    groups.Add(meta);
                }
                var root = new JsonObject { ["optimizer"] = GetType().Name, ["state"] = state, ["param_groups"] = groups };
                return new OptimizerState(tensors, root.ToJsonString());
            }

            /// <summary>Restores a state_dict taken from an optimizer of the same type over the same parameter layout.</summary>
            public void load_state_dict(OptimizerState saved)
            {
                JsonObject root;
                try
                {
                    root = JsonNode.Parse(saved.Metadata)?.AsObject() ?? throw new JsonException("empty");
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw new ArgumentException($"optimizer state metadata is not valid JSON: {e.Message}");
                }
                var type = root["optimizer"]?.GetValue<string>();
                if (type != GetType().Name)
                    throw new ArgumentException($"optimizer state was saved by {type ?? "an unknown optimizer"}, loading into {GetType().Name}");
                var groups = root["param_groups"]?.AsArray() ?? throw new ArgumentException("optimizer state has no param_groups");
                if (groups.Count != param_groups.Count)
                    throw new ArgumentException($"loaded state has {groups.Count} parameter groups, the optimizer has {param_groups.Count}");
                for (var i = 0; i < groups.Count; i++)
                {
                    var meta = groups[i]!.AsObject();
                    var count = meta["params"]?.AsArray().Count ?? -1;
                    if (count != param_groups[i].Parameters.Count)
                        throw new ArgumentException($"parameter group {i} has {param_groups[i].Parameters.Count} parameters, the loaded state has {count}");
                }
                var all = AllParameters.ToArray();
                var state = root["state"]?.AsObject() ?? new JsonObject();
                // Everything is checked before anything is restored, so a refused state leaves the optimizer as it was.
                var perParameter = new Dictionary<string, Tensor>[all.Length];
                for (var index = 0; index < all.Length; index++)
                {
                    var prefix = $"state.{index}.";
                    perParameter[index] = saved.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                        .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
                    foreach (var (name, t) in perParameter[index])
                        if (!t.shape.SequenceEqual(all[index].shape))
                            throw new ArgumentException($"optimizer state {prefix}{name} has shape [{string.Join(", ", t.shape)}], parameter {index} has [{string.Join(", ", all[index].shape)}]");
                }
                for (var index = 0; index < all.Length; index++)
                    RestoreState(all[index], perParameter[index], state[index.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject());
                for (var i = 0; i < groups.Count; i++)
                {
                    var meta = groups[i]!.AsObject();
                    param_groups[i].lr = meta["lr"]!.GetValue<double>();
                    param_groups[i].initial_lr = meta["initial_lr"]?.GetValue<double>() ?? param_groups[i].lr;
                    RestoreGroup(param_groups[i], meta);
                }
            }

            private static Tensor Copy(Tensor t)
            {
                using var _ = no_grad();
                return t.clone().DetachFromDisposeScope();
            }

            /// <summary>A detached copy of <paramref name="source"/> owned by the optimizer, on the parameter's device and dtype.</summary>
            protected static Tensor Own(Tensor source, Tensor like)
            {
                using var _ = no_grad();
                return source.to(like.device, like.dtype, copy: true).DetachFromDisposeScope();
            }

            public virtual void Dispose() => GC.SuppressFinalize(this);
        }
    }
}
