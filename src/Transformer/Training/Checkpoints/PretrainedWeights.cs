// model.init_from: a new run's model starts from saved weights — all of them, or those of the modules model.init_modules
// names — instead of its random initialisation. A file in the torch.nn.Transformer reference's names (docs/parity.md)
// is renamed to ours first; init_modules always names our modules, and model.init_map says where init_from holds a
// module under another name (another model kind's: a classifier's embed for an encoder–decoder's source_embed).
using Transformer.Configuration;
using Transformer.Models;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public static class PretrainedWeights
{
    /// <summary>Copies <see cref="ModelConfig.InitFrom"/> into <paramref name="model"/>, changing nothing unless every
    /// selected tensor fits, and returns what was copied (its ToString is the line to tell the user); null (and nothing
    /// done) without init_from.</summary>
    public static InitReport? Apply(ModelConfig config, nn.Module model)
    {
        if (config.InitFrom is not { } path) return null;
        var selection = new ModuleSelection(config.InitModules);
        var ours = model.state_dict().Keys.ToList();
        if (selection.Unmatched(ours) is { Count: > 0 } unmatched)
            throw new ConfigException("model.init_modules", unmatched[0],
                $"a module of this model: {string.Join(", ", TopLevelModules(model, ours))} (or one inside them, such as encoder.layers.0)");
        var map = config.InitMap ?? new Dictionary<string, string>();
        CheckMap(map, selection, model, ours);
        using var file = WeightsFile.Read(path);
        var pytorch = config.InitFromFormat switch
        {
            WeightNames.PyTorch => true,
            WeightNames.Ours => false,
            _ => !file.FromCheckpoint && PyTorchNames.LookLikePyTorch(file.Tensors.Keys),
        };
        var named = pytorch ? ToOurNames(config, file) : file.Tensors;
        var tensors = map.Count == 0 ? named : Mapped(map, named, file.Path);
        int copied;
        try
        {
            copied = ModelWeights.Load(model, tensors, selection, name => SourceName(map, name));
        }
        catch (WeightsMismatchException e)
        {
            var names = pytorch ? " (PyTorch names, mapped to ours)" : "";
            throw new CheckpointException(file.Path, $"model.init_from does not fit this model{names}: {e.Message}", e) { Details = e.Details };
        }
        var parameters = model.named_parameters().ToList();
        var copiedParameters = parameters.Where(p => selection.Contains(p.name)).Sum(p => p.parameter.numel());
        return new InitReport
        {
            Path = path, Modules = selection.IsAll ? null : selection.ToString(), Map = map.Count == 0 ? null : Describe(map),
            PyTorchNames = pytorch, CopiedTensors = copied, CopiedParameters = copiedParameters,
            InitialisedTensors = ours.Count - copied, InitialisedParameters = parameters.Sum(p => p.parameter.numel()) - copiedParameters,
        };
    }

    /// <summary>The modules init_from copies, as our state_dict prefixes (every tensor when init_modules is null); null
    /// without init_from. What a run's parameters were initialised from, known from its config alone (a resumed run
    /// needs it for training.optimizer.pretrained_lr).</summary>
    public static ModuleSelection? Selection(ModelConfig config) => config.InitFrom is null ? null : new ModuleSelection(config.InitModules);

    /// <summary>"source_embed ← embed, encoder ← decoder".</summary>
    public static string Describe(IReadOnlyDictionary<string, string> map) => string.Join(", ", map.Select(e => $"{e.Key} ← {e.Value}"));

    /// <summary>Each init_map key names a module of this model inside the selected ones (else it would rename nothing).</summary>
    private static void CheckMap(IReadOnlyDictionary<string, string> map, ModuleSelection selection, nn.Module model, IReadOnlyList<string> ours)
    {
        foreach (var key in map.Keys)
        {
            var under = ours.Where(n => Covers(key, n)).ToList();
            if (under.Count == 0)
                throw new ConfigException("model.init_map", key,
                    $"our module names as keys; this model's modules are {string.Join(", ", TopLevelModules(model, ours))} (or one inside them, such as encoder.layers.0)");
            if (!under.All(selection.Contains))
                throw new ConfigException("model.init_map", key, $"a module inside model.init_modules ({selection}); add it there to copy it");
        }
    }

    private static bool Covers(string prefix, string name) =>
        name.Length > prefix.Length ? name.StartsWith(prefix, StringComparison.Ordinal) && name[prefix.Length] == '.' : name == prefix;

    /// <summary>The longest init_map key covering <paramref name="name"/>, if any (a more specific entry wins).</summary>
    private static string? KeyFor(IReadOnlyDictionary<string, string> map, string name) =>
        map.Keys.Where(k => Covers(k, name)).MaxBy(k => k.Length);

    /// <summary>The name in init_from of our tensor <paramref name="name"/>: under the module init_map gives for it.</summary>
    private static string SourceName(IReadOnlyDictionary<string, string> map, string name) =>
        KeyFor(map, name) is { } key ? map[key] + name[key.Length..] : name;

    /// <summary>The file's tensors under our names: a tensor under an init_map value moves to its key (to each key naming
    /// that value); a tensor the file keeps under one of our mapped modules is not used (that module reads from
    /// elsewhere). A module init_map names that holds no tensor in the file is refused in one line.</summary>
    private static Dictionary<string, Tensor> Mapped(IReadOnlyDictionary<string, string> map, IReadOnlyDictionary<string, Tensor> named, string path)
    {
        foreach (var (key, source) in map)
            if (!named.Keys.Any(n => Covers(source, n)))
                throw new CheckpointException(path, $"model.init_map {key}: {source} holds no tensor in this file (its modules: "
                    + string.Join(", ", named.Keys.Select(n => n.Split('.')[0]).Distinct().Order(StringComparer.Ordinal)) + ")");
        var renamed = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in named)
        {
            var targets = map.Where(e => Covers(e.Value, name)).Select(e => e.Key + name[e.Value.Length..]).ToList();
            if (targets.Count == 0) targets.Add(name);
            foreach (var target in targets)
            {
                // Kept only where init_map reads this target from this very name (not from a more specific entry).
                if (SourceName(map, target) != name) continue;
                if (!renamed.TryAdd(target, tensor))
                    throw new CheckpointException(path, $"two tensors map to '{target}' (one is '{name}'): check model.init_map");
            }
        }
        return renamed;
    }

    /// <summary>The model's top-level modules that hold saved tensors, in the order the model registers them.</summary>
    private static IEnumerable<string> TopLevelModules(nn.Module model, IReadOnlyList<string> names) =>
        model.named_children().Select(c => c.name).Where(m => names.Any(n => n.StartsWith(m + ".", StringComparison.Ordinal)));

    /// <summary>The file's tensors under our names; a name the mapping does not know stays as it is (and is then
    /// reported as unexpected unless outside init_modules).</summary>
    private static Dictionary<string, Tensor> ToOurNames(ModelConfig config, WeightsFile file)
    {
        var renamed = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in file.Tensors)
        {
            var ours = PyTorchNames.ToOurs(config, name) ?? name;
            if (!renamed.TryAdd(ours, tensor))
                throw new CheckpointException(file.Path, $"two tensors map to '{ours}' (one is '{name}'): mixed PyTorch and our names? Set model.init_from_format");
        }
        return renamed;
    }
}
