// --set key=value overrides: each value is parsed as YAML and written into the tree before binding, so it goes
// through the same checks as the file (and errors say "--set" instead of a line).
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Transformer.Configuration;

internal static class ConfigOverrides
{
    private const string Usage = "key=value with a dotted key (e.g. training.optimizer.lr=3e-4)";

    public static void Apply(ConfigDocument document, IEnumerable<string> overrides)
    {
        foreach (var assignment in overrides) Apply(document, assignment);
    }

    private static void Apply(ConfigDocument document, string assignment)
    {
        var equals = assignment.IndexOf('=');
        var path = equals < 0 ? "" : assignment[..equals].Trim();
        var segments = path.Split('.');
        if (path.Length == 0 || segments.Any(s => s.Length == 0))
            throw new ConfigException(ConfigDocument.OverrideLocation, assignment, Usage);
        var value = ParseValue(path, assignment[(equals + 1)..]);
        document.MarkOverride(value);

        var mapping = document.Root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var key = new YamlScalarNode(segments[i]);
            if (mapping.Children.TryGetValue(key, out var child))
            {
                if (child is YamlMappingNode section)
                {
                    mapping = section;
                    continue;
                }
                if (!ConfigScalar.IsNull(child))
                    throw new ConfigException(string.Join('.', segments[..(i + 1)]), YamlNodeText.Show(child),
                        $"a mapping (to set {path})", ConfigDocument.OverrideLocation);
            }
            var created = new YamlMappingNode();
            Set(document, mapping, key, created);
            mapping = created;
        }
        Set(document, mapping, new YamlScalarNode(segments[^1]), value);
    }

    // Replacing keeps the file's key node (and its line); a new key is marked as the override's.
    private static void Set(ConfigDocument document, YamlMappingNode mapping, YamlScalarNode key, YamlNode value)
    {
        document.MarkOverride(value);
        if (!mapping.Children.ContainsKey(key)) document.MarkOverride(key);
        mapping.Children[key] = value;
    }

    private static YamlNode ParseValue(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            throw new ConfigException(path, text, "a YAML value (is a bracket or quote left open?)", ConfigDocument.OverrideLocation);
        }
        return stream.Documents.Count switch
        {
            0 => new YamlScalarNode("") { Style = ScalarStyle.Plain },
            1 => stream.Documents[0].RootNode,
            _ => throw new ConfigException(path, text, "one YAML value", ConfigDocument.OverrideLocation),
        };
    }
}
