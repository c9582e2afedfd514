// Copies saved weights into a model by PyTorch's state_dict names, checking every name and shape
// first: a file that does not fit changes nothing, and the refusal names what differs (the first
// few of each kind, with counts).
using TorchSharp;
using Transformer.Models;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public static class ModelWeights
{
    private const int Shown = 3;

    /// <summary>Throws WeightsMismatchException, changing nothing, unless <paramref name="saved"/> holds exactly the model's
    /// parameters and persistent buffers with their shapes — or, with <paramref name="only"/>, exactly those in the selected
    /// modules (tensors of the file outside them are ignored; the model's others keep their values). Returns how many
    /// tensors were copied. <paramref name="fileName"/> gives a tensor's name in the file where it differs from ours (for
    /// the messages).</summary>
    public static int Load(nn.Module model, IReadOnlyDictionary<string, Tensor> saved, ModuleSelection? only = null, Func<string, string>? fileName = null)
    {
        string Named(string name) => fileName?.Invoke(name) is { } other && other != name ? $"{name} ({other} in the file)" : name;
        var selection = only ?? ModuleSelection.All;
        var live = model.state_dict().Where(kv => selection.Contains(kv.Key)).ToList();
        var liveNames = live.Select(kv => kv.Key).ToHashSet();
        var missing = live.Where(kv => !saved.ContainsKey(kv.Key)).Select(kv => Named(kv.Key)).ToList();
        var unexpected = saved.Keys.Where(k => selection.Contains(k) && !liveNames.Contains(k)).ToList();
        var misshapen = live.Where(kv => saved.TryGetValue(kv.Key, out var s) && !s.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{Named(kv.Key)} is [{string.Join(", ", saved[kv.Key].shape)}] in the file, [{string.Join(", ", kv.Value.shape)}] in the model")
            .ToList();
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add(Summary(missing, "missing"));
        if (unexpected.Count > 0) problems.Add(Summary(unexpected, "unexpected"));
        if (misshapen.Count > 0) problems.Add(Summary(misshapen, "of another shape"));
        if (problems.Count > 0)
            throw new WeightsMismatchException(string.Join("; ", problems),
                string.Join("\n", missing.Select(k => $"missing: {k}").Concat(unexpected.Select(k => $"unexpected: {k}")).Concat(misshapen.Select(k => $"shape: {k}"))));
        using var _ = no_grad();
        foreach (var (name, tensor) in live) tensor.copy_(saved[name]);
        return live.Count;
    }

    private static string Summary(IReadOnlyList<string> items, string what) =>
        items.Count <= Shown
            ? $"{items.Count} tensor(s) {what}: {string.Join(", ", items)}"
            : $"{items.Count} tensors {what}, e.g. {string.Join(", ", items.Take(Shown))}";
}

/// <summary>Saved weights that do not fit a model: the message summarises, <see cref="Details"/> lists every tensor.</summary>
public sealed class WeightsMismatchException(string summary, string details) : ArgumentException(summary)
{
    public string Details { get; } = details;
}
