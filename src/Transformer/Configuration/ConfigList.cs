// The value of a list-valued config key (model.init_modules): read-only, and equal to any list with the same items,
// so that config records holding one keep their value equality (a loaded config equals the one written).
using System.Collections;

namespace Transformer.Configuration;

public sealed class ConfigList<T>(T[] items) : IReadOnlyList<T>
{
    private readonly T[] items = (T[])items.Clone();

    public T this[int index] => items[index];
    public int Count => items.Length;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public override bool Equals(object? obj) => obj is IReadOnlyList<T> other && items.SequenceEqual(other);
    public override int GetHashCode() => items.Aggregate(items.Length, (hash, item) => HashCode.Combine(hash, item));
    public override string ToString() => "[" + string.Join(", ", items) + "]";
}
