// An indexable list of sub-modules registered as "0", "1", … (torch.nn.ModuleList).
using System.Collections;
using static Transformer.Torch.torch;

namespace Transformer.Torch.Modules;

public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
{
    private readonly List<T> items = new();

    public ModuleList(IEnumerable<T>? modules = null) : base(nameof(ModuleList<T>))
    {
        foreach (var m in modules ?? Enumerable.Empty<T>()) Add(m);
    }

    public void Add(T module)
    {
        register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        items.Add(module);
    }

    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
