// A parsed and validated safetensors header: the tensors in the order of their data, and the metadata.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class SafetensorsHeader
{
    private readonly Dictionary<string, SafetensorsTensorInfo> byName;

    private SafetensorsHeader(SafetensorsTensorInfo[] tensors, IReadOnlyDictionary<string, string> metadata, long headerLength, long dataLength)
    {
        Tensors = Array.AsReadOnly(tensors);
        Metadata = metadata;
        HeaderLength = headerLength;
        DataLength = dataLength;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in file order: sorted by data_offsets (ties, which only empty tensors can have, keep header order).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The "__metadata__" map, in header order; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>N, the length of the JSON header (including its padding).</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data section begins in the file: 8 + N.</summary>
    public long DataStart => 8 + HeaderLength;

    public long DataLength { get; }

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public SafetensorsTensorInfo this[string name] =>
        byName.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"the file has no tensor '{name}'");

    public bool TryGetTensor(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out SafetensorsTensorInfo info) =>
        byName.TryGetValue(name, out info);

    /// <summary>Checks that the entries (in header order) cover the data section exactly, without gaps or overlaps.</summary>
    internal static SafetensorsHeader Create(List<SafetensorsTensorInfo> entries, IReadOnlyDictionary<string, string> metadata,
        long headerLength, long dataLength, string source)
    {
        foreach (var t in entries)
        {
            if (t.End > dataLength)
                throw new SafetensorsFormatException(source, $"tensor '{t.Name}' has data_offsets [{t.Begin}, {t.End}] past the end of the {dataLength}-byte data section");
        }

        // OrderBy is stable: equal offsets (empty tensors) keep their header order.
        var ordered = entries.OrderBy(t => t.Begin).ThenBy(t => t.End).ToArray();
        long position = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in ordered)
        {
            if (t.Begin < position)
                throw new SafetensorsFormatException(source, $"tensor '{t.Name}' (data_offsets [{t.Begin}, {t.End}]) overlaps tensor '{previous!.Name}' (data_offsets [{previous.Begin}, {previous.End}])");
            if (t.Begin > position)
                throw new SafetensorsFormatException(source, $"bytes [{position}, {t.Begin}) of the data section belong to no tensor (a gap before tensor '{t.Name}')");
            position = t.End;
            previous = t;
        }
        if (position != dataLength)
            throw new SafetensorsFormatException(source, $"bytes [{position}, {dataLength}) of the data section belong to no tensor (after the last tensor)");

        return new SafetensorsHeader(ordered, metadata, headerLength, dataLength);
    }

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
