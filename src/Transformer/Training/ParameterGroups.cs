// Which parameters a run trains, and at what rate: training.freeze's are left as they are (requires_grad false, so
// they get no gradient and are neither clipped, decayed nor all-reduced, and they are not in the optimizer or its
// checkpointed state); with training.optimizer.pretrained_lr those model.init_from copied form a parameter group of
// their own, whose rate the schedule scales as it scales lr. Both follow from the config alone, so a resumed run
// rebuilds the same groups.
using Transformer.Configuration;
using Transformer.Models;
using Transformer.Training.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Training;

/// <summary>Parameters trained together at one peak learning rate.</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<(string Name, Parameter Parameter)> Parameters, double Lr);

public sealed class ParameterGroups
{
    private ParameterGroups(IReadOnlyList<(string, Parameter)> frozen, IReadOnlyList<ParameterGroup> groups)
    {
        Frozen = frozen;
        Groups = groups;
    }

    /// <summary>The parameters training.freeze names, in the model's order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Frozen { get; }

    /// <summary>The optimizer's parameter groups, none empty: every trained parameter at lr, or, with pretrained_lr,
    /// the pretrained ones at pretrained_lr and then the others at lr.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>The groups of <paramref name="model"/> under <paramref name="config"/>. A freeze prefix that matches no
    /// parameter, or a freeze that leaves nothing to train, is a ConfigException naming it.</summary>
    public static ParameterGroups Of(ExperimentConfig config, nn.Module model)
    {
        var named = model.named_parameters().ToList();
        // A shared parameter (tied embeddings) is one parameter under several names: it is in a selection when any name is.
        var names = named.GroupBy(p => p.parameter.Handle).ToDictionary(g => g.Key, g => g.Select(p => p.name).ToList());
        var parameters = named.DistinctBy(p => p.parameter.Handle).ToList();
        bool Selected(ModuleSelection selection, Parameter p) => names[p.Handle].Any(selection.Contains);
        var freeze = new ModuleSelection(config.Training.Freeze ?? []);
        if (config.Training.Freeze is not null && freeze.Unmatched(named.Select(p => p.name)) is { Count: > 0 } unmatched)
            throw new ConfigException("training.freeze", unmatched[0],
                $"a module holding parameters: {string.Join(", ", named.Select(p => p.name.Split('.')[0]).Distinct())} (or one inside them, such as encoder.layers.0)");
        var frozen = parameters.Where(p => Selected(freeze, p.parameter)).ToList();
        var trained = parameters.Where(p => !Selected(freeze, p.parameter)).ToList();
        if (trained.Count == 0)
            throw new ConfigException("training.freeze", new ShownValue("[" + string.Join(", ", config.Training.Freeze!) + "]"), "modules that leave some parameter to train");
        var optimizer = config.Training.Optimizer;
        var groups = new List<ParameterGroup>();
        if (optimizer.PretrainedLr is { } pretrainedLr && PretrainedWeights.Selection(config.Model) is { } pretrained)
        {
            groups.Add(new ParameterGroup("pretrained", trained.Where(p => Selected(pretrained, p.parameter)).ToList(), pretrainedLr));
            groups.Add(new ParameterGroup("other", trained.Where(p => !Selected(pretrained, p.parameter)).ToList(), optimizer.Lr));
        }
        else groups.Add(new ParameterGroup("all", trained, optimizer.Lr));
        return new ParameterGroups(frozen, groups.Where(g => g.Parameters.Count > 0).ToList());
    }

    /// <summary>Turns off the gradients of the frozen parameters.</summary>
    public void Freeze()
    {
        foreach (var (_, p) in Frozen) p.requires_grad = false;
    }

    /// <summary>The line a run prints when it freezes or splits its parameters; null when it does neither.</summary>
    public string? Describe()
    {
        var parts = new List<string>();
        if (Frozen.Count > 0) parts.Add($"frozen: {Frozen.Count} tensors ({Frozen.Sum(p => p.Parameter.numel()):N0} parameters)");
        if (Groups.Count > 1 || Groups[0].Name == "pretrained")
            parts.AddRange(Groups.Select(g => $"{g.Name}: {g.Parameters.Count} tensors ({g.Parameters.Sum(p => p.Parameter.numel()):N0} parameters) at lr {g.Lr:G4}"));
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
