// Maps classification labels to ids. With a given label set the ids are its order. Without one, labels are
// collected while the train sources are read (provisional ids in order of first sight), then frozen: later
// sources may only use them, and the final ids are the labels sorted ordinally (Remap renumbers).
using Transformer.Data.Sources;

namespace Transformer.Data;

internal sealed class LabelTable
{
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    private readonly List<string> names = new();
    private readonly bool given;
    private bool frozen;

    public LabelTable(IReadOnlyList<string>? labels)
    {
        given = labels is not null;
        frozen = given;
        foreach (var label in labels ?? []) Add(label);
    }

    /// <summary>The label's (provisional) id, or -1 after reporting a label outside the set.</summary>
    public int Resolve(RawExample example, BadLineLog log)
    {
        var label = example.Label!;
        if (ids.TryGetValue(label, out var id)) return id;
        if (!frozen) return Add(label);
        var known = string.Join(", ", Labels.Take(20).Select(n => $"'{n}'")) + (names.Count > 20 ? ", …" : "");
        log.Report(example.File, example.Line, BadLineReason.UnknownLabel, $"label '{label}'",
            $"{(given ? "one of data.labels" : "a label that the train sources have")}: {known}");
        return -1;
    }

    public void Freeze() => frozen = true;

    /// <summary>The labels in final id order.</summary>
    public IReadOnlyList<string> Labels => given ? names : names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Provisional id → final id, or null when the ids are already final.</summary>
    public int[]? Remap()
    {
        if (given) return null;
        var sorted = Labels;
        var final = new int[names.Count];
        for (var i = 0; i < sorted.Count; i++) final[ids[sorted[i]]] = i;
        return final;
    }

    private int Add(string label)
    {
        ids.Add(label, names.Count);
        names.Add(label);
        return names.Count - 1;
    }
}
