// The bindable fields of a config record type, in a stable order (base type's first, then declaration order).
using System.Collections.Concurrent;
using System.Reflection;

namespace Transformer.Configuration;

internal static class ConfigSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ConfigField>> Cache = new();

    /// <summary>Public properties with a setter (init or set); computed properties are not keys.</summary>
    public static IReadOnlyList<ConfigField> Fields(Type recordType) => Cache.GetOrAdd(recordType, type =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken)
            .Select(p => new ConfigField(p))
            .ToList());

    /// <summary>Every leaf key under <paramref name="recordType"/> as a dotted path (model.d_model,
    /// training.optimizer.lr, …), with each variant's keys and its `kind`; in schema order, each once.</summary>
    public static IReadOnlyList<string> LeafKeys(Type recordType) => LeafKeys(recordType, "").Distinct().ToList();

    private static IEnumerable<string> LeafKeys(Type recordType, string prefix)
    {
        foreach (var field in Fields(recordType))
        {
            var path = prefix + field.Key;
            switch (field.Shape)
            {
                case ConfigFieldShape.Section:
                    foreach (var key in LeafKeys(field.Type, path + ".")) yield return key;
                    break;
                case ConfigFieldShape.Variant:
                    yield return $"{path}.{ConfigVariantAttribute.KindKey}";
                    foreach (var variant in field.Variants)
                        foreach (var key in LeafKeys(variant.Type, path + ".")) yield return key;
                    break;
                default:
                    yield return path;
                    break;
            }
        }
    }

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType) depth++;
        return depth;
    }
}
