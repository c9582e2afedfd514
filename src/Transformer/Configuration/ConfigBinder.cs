// Binds a YAML tree to sealed config records with init properties, strictly: every key must exist, every value must
// have its property's type; missing keys keep the record's defaults. Errors are ConfigExceptions naming file:line.
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace Transformer.Configuration;

internal sealed class ConfigBinder
{
    private readonly ConfigDocument document;

    private ConfigBinder(ConfigDocument document)
    {
        this.document = document;
        Locations = new KeyLocations(document.RootLocation);
    }

    /// <summary>Where each key given in the YAML (or by --set) was found.</summary>
    public KeyLocations Locations { get; }

    public static (T Config, KeyLocations Locations) Bind<T>(ConfigDocument document) where T : class
    {
        var binder = new ConfigBinder(document);
        var config = (T)binder.BindRecord(document.Root, typeof(T), template: null, path: "", document.RootLocation, variantKey: false);
        return (config, binder.Locations);
    }

    /// <summary>A new <paramref name="type"/> from a mapping: a copy of <paramref name="template"/> (so that
    /// defaults set by an enclosing record survive) or a new instance, with the mapping's keys set on it.</summary>
    private object BindRecord(YamlNode node, Type type, object? template, string path, string location, bool variantKey)
    {
        if (node is not YamlMappingNode mapping) throw new ConfigException(path, YamlNodeText.Show(node), "a mapping", location);
        var instance = template?.GetType() == type ? Clone(template) : Activator.CreateInstance(type)!;
        var fields = ConfigSchema.Fields(type);
        var given = new HashSet<string>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = KeyText(keyNode, path);
            var keyPath = Join(path, key);
            var keyLocation = document.Locate(keyNode, valueNode);
            if (variantKey && key == ConfigVariantAttribute.KindKey) continue;
            var field = fields.FirstOrDefault(f => f.Key == key)
                ?? throw UnknownKey(keyPath, fields.Select(f => f.Key).Concat(variantKey ? [ConfigVariantAttribute.KindKey] : []),
                    path, document.Locate(keyNode, keyNode));
            Locations.Record(keyPath, keyLocation);
            field.Property.SetValue(instance, BindValue(valueNode, field, field.Property.GetValue(instance), keyPath, keyLocation));
            given.Add(key);
        }
        var missing = fields.FirstOrDefault(f => f.Required && !given.Contains(f.Key));
        if (missing is not null) throw new ConfigException(Join(path, missing.Key), null, missing.Describe(), location);
        return instance;
    }

    private object? BindValue(YamlNode node, ConfigField field, object? current, string path, string location)
    {
        if (ConfigScalar.IsNull(node))
            return field.AllowsNull ? null : throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);
        return field.Shape switch
        {
            ConfigFieldShape.Scalar => BindScalar(node, field, path, location),
            ConfigFieldShape.Tuple => BindTuple(node, field, path, location),
            ConfigFieldShape.List => BindList(node, field, path, location),
            ConfigFieldShape.Map => BindMap(node, field, path, location),
            ConfigFieldShape.Section when node is not YamlMappingNode => throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location),
            ConfigFieldShape.Section => BindRecord(node, field.Type, current, path, location, variantKey: false),
            _ => BindVariant(node, field, current, path, location),
        };
    }

    private static object BindScalar(YamlNode node, ConfigField field, string path, string location) =>
        node is YamlScalarNode { Value: { } text } && ConfigScalar.TryParse(text, field.Type, out var value)
            ? value!
            : throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);

    private static object BindTuple(YamlNode node, ConfigField field, string path, string location)
    {
        var types = field.TupleElements;
        var values = new object[types.Length];
        var valid = node is YamlSequenceNode sequence && sequence.Children.Count == types.Length
            && sequence.Children.Select((item, i) =>
                item is YamlScalarNode { Value: { } text } && !ConfigScalar.IsNull(item)
                && ConfigScalar.TryParse(text, types[i], out values[i]!)).All(ok => ok);
        return valid ? Activator.CreateInstance(field.Type, values)!
            : throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);
    }

    private static object BindList(YamlNode node, ConfigField field, string path, string location)
    {
        if (node is not YamlSequenceNode sequence) throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);
        var items = Array.CreateInstance(field.ListItem, sequence.Children.Count);
        for (var i = 0; i < items.Length; i++)
        {
            var item = sequence.Children[i];
            if (item is not YamlScalarNode { Value: { } text } || ConfigScalar.IsNull(item) || !ConfigScalar.TryParse(text, field.ListItem, out var value))
                throw new ConfigException($"{path}[{i}]", YamlNodeText.Show(item), ConfigScalar.Describe(field.ListItem, nullable: false), location);
            items.SetValue(value, i);
        }
        return Activator.CreateInstance(typeof(ConfigList<>).MakeGenericType(field.ListItem), items)!;
    }

    private object BindMap(YamlNode node, ConfigField field, string path, string location)
    {
        if (node is not YamlMappingNode mapping) throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);
        var type = typeof(KeyValuePair<,>).MakeGenericType(typeof(string), field.MapValue);
        var entries = Array.CreateInstance(type, mapping.Children.Count);
        var i = 0;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = KeyText(keyNode, path);
            var entryPath = Join(path, key);
            var entryLocation = document.Locate(keyNode, valueNode);
            Locations.Record(entryPath, entryLocation);
            if (valueNode is not YamlScalarNode { Value: { } text } || ConfigScalar.IsNull(valueNode) || !ConfigScalar.TryParse(text, field.MapValue, out var value))
                throw new ConfigException(entryPath, YamlNodeText.Show(valueNode), ConfigScalar.Describe(field.MapValue, nullable: false), entryLocation);
            entries.SetValue(Activator.CreateInstance(type, key, value), i++);
        }
        return Activator.CreateInstance(typeof(ConfigMap<>).MakeGenericType(field.MapValue), entries)!;
    }

    /// <summary>A polymorphic section: its `kind` chooses the record type, the other keys are that type's.</summary>
    private object BindVariant(YamlNode node, ConfigField field, object? current, string path, string location)
    {
        if (node is not YamlMappingNode mapping) throw new ConfigException(path, YamlNodeText.Show(node), field.Describe(), location);
        var kindPath = Join(path, ConfigVariantAttribute.KindKey);
        var expected = "one of " + field.VariantNames;
        var (kindKey, kindNode) = mapping.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: ConfigVariantAttribute.KindKey });
        if (kindNode is null) throw new ConfigException(kindPath, null, expected, location);
        var kindLocation = document.Locate(kindKey, kindNode);
        Locations.Record(kindPath, kindLocation);
        var variant = field.Variants.FirstOrDefault(v =>
            kindNode is YamlScalarNode { Value: { } text } && string.Equals(v.Kind, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new ConfigException(kindPath, YamlNodeText.Show(kindNode), expected, kindLocation);
        return BindRecord(mapping, variant.Type, current, path, location, variantKey: true);
    }

    private string KeyText(YamlNode key, string path) =>
        key is YamlScalarNode { Value: { } text } && !ConfigScalar.IsNull(key) ? text
        : throw new ConfigException(Join(path, "?"), YamlNodeText.Show(key), "a plain key name", document.Locate(key, key));

    private static ConfigException UnknownKey(string keyPath, IEnumerable<string> validKeys, string section, string location)
    {
        var valid = validKeys.ToList();
        var key = keyPath[(keyPath.LastIndexOf('.') + 1)..];
        var where = section.Length == 0 ? "a top-level key" : $"a key of {section}";
        var nearest = EditDistance.Nearest(key, valid);
        var expected = nearest is null ? $"{where}: {string.Join(", ", valid)}" : $"{where}; did you mean '{nearest}'?";
        return new ConfigException(keyPath, new ShownValue("unknown key"), expected, location);
    }

    private static object Clone(object record) =>
        record.GetType().GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)?.Invoke(record, null)
        ?? throw new NotSupportedException($"{record.GetType().Name} is not a record");

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
