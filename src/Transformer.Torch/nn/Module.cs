// torch.nn.Module: parameters, buffers and sub-modules under PyTorch's dotted names, in
// registration order, so state_dict keys match PyTorch's (`encoder.layers.0.self_attn.in_proj_weight`).
using System.Reflection;
using Transformer.Torch.Modules;
using Transformer.Torch.Native;
using static Transformer.Torch.Native.LibTorch;

namespace Transformer.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public abstract class Module : IDisposable
        {
            private readonly OrderedDictionary<string, Parameter?> ownParameters = new();
            private readonly OrderedDictionary<string, (Tensor? tensor, bool persistent)> ownBuffers = new();
            private readonly OrderedDictionary<string, Module> ownModules = new();
            private bool disposed;

            protected Module(string? name = null) => GetName = name ?? GetType().Name;

            public string GetName { get; }

            public bool training { get; private set; } = true;

            // ---- registration ----
            public void register_parameter(string name, Parameter? parameter)
            {
                CheckName(name, "parameter");
                ownParameters[name] = parameter;
            }

            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name, "buffer");
                tensor?.DetachFromDisposeScope();
                ownBuffers[name] = (tensor, persistent);
            }

            public void register_module(string name, Module module)
            {
                CheckName(name, "module");
                ownModules[name] = module;
            }

            private void CheckName(string name, string what)
            {
                if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{what} name can't be empty");
                if (name.Contains('.')) throw new ArgumentException($"{what} name can't contain \".\", got '{name}'");
                var taken = (what != "parameter" && ownParameters.ContainsKey(name)) || (what != "buffer" && ownBuffers.ContainsKey(name))
                    || (what != "module" && ownModules.ContainsKey(name));
                if (taken) throw new ArgumentException($"attribute '{name}' already exists in {GetName}");
            }

            /// <summary>Registers every field of type Module, Parameter or Tensor (as a buffer), in declaration order,
            /// under the field's name — TorchSharp's convenience; explicit register_* calls are equivalent.</summary>
            protected void RegisterComponents()
            {
                const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                for (var type = GetType(); type is not null && type != typeof(Module); type = type.BaseType)
                {
                    foreach (var field in type.GetFields(flags))
                    {
                        var name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
                        switch (field.GetValue(this))
                        {
                            case Module m when !ownModules.ContainsKey(name): register_module(name, m); break;
                            case Modules.Parameter p when !ownParameters.ContainsKey(name): register_parameter(name, p); break;
                            case Tensor t and not Modules.Parameter when !ownBuffers.ContainsKey(name): register_buffer(name, t); break;
                        }
                    }
                }
            }

            // ---- traversal (pre-order: own entries, then children, as PyTorch) ----
            public IEnumerable<(string name, Module module)> named_children() => ownModules.Select(kv => (kv.Key, kv.Value));
            public IEnumerable<Module> children() => ownModules.Values;

            /// <summary>This module and its descendants, each once (a module registered under two names is listed
            /// under the first), as PyTorch's named_modules().</summary>
            public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
            {
                var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                return AllModules(prefix).Where(e => seen.Add(e.module));
            }

            public IEnumerable<Module> modules() => named_modules().Select(e => e.module);

            // Every path to every module, repeats included: state_dict lists a shared module under each name.
            private IEnumerable<(string name, Module module)> AllModules(string prefix)
            {
                yield return (prefix, this);
                foreach (var (name, child) in ownModules)
                    foreach (var entry in child.AllModules(prefix.Length == 0 ? name : $"{prefix}.{name}"))
                        yield return entry;
            }

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
                    foreach (var (name, p) in module.ownParameters)
                        if (p is not null && seen.Add(p))
                            yield return (Join(prefix, name), p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(e => e.parameter);

            /// <summary>All buffers, persistent or not, each once (as PyTorch's named_buffers()).</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
                    foreach (var (name, (tensor, _)) in module.ownBuffers)
                        if (tensor is not null && seen.Add(tensor))
                            yield return (Join(prefix, name), tensor);
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(e => e.buffer);

            private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

            /// <summary>Number of parameter elements (shared parameters counted once).</summary>
            public long parameter_count(bool trainable_only = false) =>
                parameters().Where(p => !trainable_only || p.requires_grad).Sum(p => p.numel());

            // ---- state ----

            /// <summary>Parameters and persistent buffers by dotted name, in PyTorch's order. The tensors are
            /// the module's own (not copies): do not dispose them.</summary>
            public OrderedDictionary<string, Tensor> state_dict()
            {
                var result = new OrderedDictionary<string, Tensor>();
                foreach (var (prefix, module) in AllModules(""))
                {
                    foreach (var (name, p) in module.ownParameters)
                        if (p is not null) result[Join(prefix, name)] = p;
                    foreach (var (name, (tensor, persistent)) in module.ownBuffers)
                        if (tensor is not null && persistent) result[Join(prefix, name)] = tensor;
                }
                return result;
            }

            /// <summary>Copies values into the module's parameters and persistent buffers. Every missing key, unexpected
            /// key and shape mismatch is listed in one error; with strict = false only mismatches are errors.</summary>
            public (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) load_state_dict(
                IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var mismatched = own.Where(kv => source.ContainsKey(kv.Key))
                    .Select(kv => (kv.Key, mine: kv.Value.shape, theirs: source[kv.Key].shape))
                    .Where(e => !e.mine.SequenceEqual(e.theirs))
                    .Select(e => $"size mismatch for {e.Key}: copying a param with shape [{string.Join(", ", e.theirs)}], the shape in current model is [{string.Join(", ", e.mine)}]")
                    .ToList();
                var problems = new List<string>();
                if (strict && missing.Count > 0) problems.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")));
                if (strict && unexpected.Count > 0) problems.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")));
                problems.AddRange(mismatched);
                if (problems.Count > 0)
                    throw new ArgumentException($"Error(s) in loading state_dict for {GetName}: " + string.Join("; ", problems));
                using (no_grad())
                    foreach (var (name, target) in own)
                        if (source.TryGetValue(name, out var value))
                            target.copy_(value);
                return (missing, unexpected);
            }

            public Module train(bool mode = true)
            {
                foreach (var (_, m) in named_modules()) m.training = mode;
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves/converts parameters and buffers in place; their identities (and so optimizer references) stay.</summary>
            public Module to(Device device) => Convert(t => t.to(device));
            public Module to(ScalarType dtype) => Convert(t => t.is_floating_point() ? t.to(dtype) : t.alias());
            public Module to(Device device, ScalarType dtype) => Convert(t => t.is_floating_point() ? t.to(device, dtype) : t.to(device));
            public Module to(string device) => to(Device.Parse(device));

            // As PyTorch's Module._apply: each parameter's data is replaced (its identity stays), then its
            // gradient's, so that later backward passes accumulate into a gradient of the new dtype/device.
            private Module Convert(Func<Tensor, Tensor> convert)
            {
                using var _ = no_grad();
                foreach (var p in parameters())
                {
                    SetData(p, convert);
                    using var grad = p.grad;
                    if (grad is not null) SetData(grad, convert);
                }
                foreach (var b in buffers()) SetData(b, convert);
                return this;
            }

            private static void SetData(Tensor t, Func<Tensor, Tensor> convert)
            {
                using var moved = convert(t);
                NativeStatus.Check(tsh_set_data(t.Handle, moved.Handle));
            }

            /// <summary>Drops (set_to_none) or zeroes every parameter's gradient.</summary>
            public unsafe void zero_grad(bool set_to_none = true)
            {
                var ps = parameters().ToArray();
                var raw = Handles(ps);
                fixed (IntPtr* p = raw) NativeStatus.Check(tsh_zero_grad(p, raw.Length, set_to_none ? 1 : 0));
                GC.KeepAlive(ps);
            }

            public Module apply(Action<Module> fn)
            {
                foreach (var child in ownModules.Values) child.apply(fn);
                fn(this);
                return this;
            }

            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                foreach (var child in ownModules.Values) child.Dispose();
                foreach (var p in ownParameters.Values) p?.Dispose();
                foreach (var (t, _) in ownBuffers.Values) t?.Dispose();
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>A module with one input; call it with <c>module.call(x)</c> or <c>module.forward(x)</c>.</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string? name = null) : base(name) { }
            public abstract TResult forward(T input);
            public TResult call(T input) => forward(input);
        }

        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string? name = null) : base(name) { }
            public abstract TResult forward(T1 input1, T2 input2);
            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}
