// The tensors and metadata loaded from a safetensors file. Disposing it disposes every tensor still in
// Tensors; remove a tensor from the dictionary (Tensors.Remove(name, out var t)) to keep it.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class SafetensorsFile : IDisposable
{
    internal SafetensorsFile(OrderedDictionary<string, torch.Tensor> tensors, SafetensorsHeader header)
    {
        Tensors = tensors;
        Header = header;
    }

    /// <summary>The tensors in file order, i.e. by data_offsets (the order the writer chose; see SafetensorsHeader.Tensors).
    /// Loaded tensors follow the usual dispose-scope rules: inside a scope they also belong to it.</summary>
    public OrderedDictionary<string, torch.Tensor> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    public SafetensorsHeader Header { get; }

    public torch.Tensor this[string name] =>
        Tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"the file has no tensor '{name}' (or it was removed)");

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
        Tensors.Clear();
    }
}
