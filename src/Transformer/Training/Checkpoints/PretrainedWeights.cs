// model.init_from: a new run's model starts from saved weights — all of them, or those of the modules model.init_modules
// names — instead of its random initialisation. A file in the torch.nn.Transformer reference's names (docs/parity.md)
// is renamed to ours first; init_modules always names our modules.
using Transformer.Models;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public static class PretrainedWeights
{
    /// <summary>Copies <see cref="ModelConfig.InitFrom"/> into <paramref name="model"/>, changing nothing unless every
    /// selected tensor fits, and returns the line to tell the user; null (and nothing done) without init_from.</summary>
    public static string? Apply(ModelConfig config, nn.Module model)
    {
        if (config.InitFrom is not { } path) return null;
        var selection = new ModuleSelection(config.InitModules);
        var ours = model.state_dict().Keys.ToList();
        if (selection.Unmatched(ours) is { Count: > 0 } unmatched)
            throw new ConfigException("model.init_modules", unmatched[0],
                $"a module of this model: {string.Join(", ", TopLevelModules(model, ours))} (or one inside them, such as encoder.layers.0)");
        using var file = WeightsFile.Read(path);
        var pytorch = config.InitFromFormat switch
        {
            WeightNames.PyTorch => true,
            WeightNames.Ours => false,
            _ => !file.FromCheckpoint && PyTorchNames.LookLikePyTorch(file.Tensors.Keys),
        };
        var tensors = pytorch ? ToOurNames(config, file) : file.Tensors;
        int copied;
        try
        {
            copied = ModelWeights.Load(model, tensors, selection);
        }
        catch (WeightsMismatchException e)
        {
            var names = pytorch ? " (PyTorch names, mapped to ours)" : "";
            throw new CheckpointException(file.Path, $"model.init_from does not fit this model{names}: {e.Message}", e) { Details = e.Details };
        }
        var what = selection.IsAll ? "" : $" of {selection}";
        return $"init_from {path}: {copied} tensors{what} copied{(pytorch ? " (PyTorch names)" : "")}";
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
