// The value of a mapping-valued config key (model.init_map: {source_embed: embed}): read-only, in the order written,
// and equal to any map with the same entries, so that config records holding one keep their value equality.
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Transformer.Configuration;

public sealed class ConfigMap<T>(IEnumerable<KeyValuePair<string, T>> entries) : IReadOnlyDictionary<string, T>
{
    private readonly KeyValuePair<string, T>[] entries = entries.ToArray();

    public T this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => entries.Select(e => e.Key);
    public IEnumerable<T> Values => entries.Select(e => e.Value);
    public int Count => entries.Length;

    public bool ContainsKey(string key) => entries.Any(e => e.Key == key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value)
    {
        foreach (var e in entries)
            if (e.Key == key)
            {
                value = e.Value;
                return true;
            }
        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, T>>)entries).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => entries.GetEnumerator();

    public override bool Equals(object? obj) =>
        obj is IReadOnlyDictionary<string, T> other && other.Count == Count
        && entries.All(e => other.TryGetValue(e.Key, out var v) && EqualityComparer<T>.Default.Equals(v, e.Value));

    public override int GetHashCode() => entries.OrderBy(e => e.Key, StringComparer.Ordinal)
        .Aggregate(Count, (hash, e) => HashCode.Combine(hash, e.Key, e.Value));

    public override string ToString() => "{" + string.Join(", ", entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}
