// A parsed config file: the YAML tree (every node knows its line) plus the nodes that --set overrides put there.
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Transformer.Configuration;

internal sealed class ConfigDocument
{
    /// <summary>Where a value given by a --set override comes from, in messages.</summary>
    public const string OverrideLocation = "--set";

    private readonly HashSet<YamlNode> overrideNodes = new(ReferenceEqualityComparer.Instance);

    private ConfigDocument(string source, YamlMappingNode root)
    {
        Source = source;
        Root = root;
    }

    /// <summary>The file name that locations start with (as the user gave it).</summary>
    public string Source { get; }
    public YamlMappingNode Root { get; }
    /// <summary>Where the document starts, for keys that are missing altogether.</summary>
    public string RootLocation => $"{Source}:{Root.Start.Line}";

    /// <summary>Parses one YAML document that must be a mapping; an empty text is an empty mapping. Syntax errors,
    /// duplicate keys, several documents and a non-mapping document are ConfigExceptions naming source:line.</summary>
    public static ConfigDocument Parse(string text, string source)
    {
        DuplicateKeyCheck.Run(text, source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException("syntax error", new ShownValue(e.Message.TrimEnd('.')), "valid YAML", $"{source}:{e.Start.Line}");
        }
        catch (ArgumentException e)   // YamlDotNet's node builder on an event sequence its parser let through
        {
            throw new ConfigException("syntax error", new ShownValue(ErrorText.OneLine(e.Message.Split(" (Parameter")[0].TrimEnd('.'))), "valid YAML", source);
        }
        if (stream.Documents.Count > 1)
            throw new ConfigException("config", new ShownValue("a second document"), "one YAML document (no '---' separators)",
                $"{source}:{stream.Documents[1].RootNode.Start.Line}");
        if (stream.Documents.Count == 0) return new ConfigDocument(source, new YamlMappingNode());
        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping) return new ConfigDocument(source, mapping);
        throw new ConfigException("config", YamlNodeText.Show(root), "a mapping of keys (name, model, training, …)", $"{source}:{root.Start.Line}");
    }

    /// <summary>Marks a node (and everything under it) as put there by an override.</summary>
    public void MarkOverride(YamlNode node)
    {
        foreach (var n in node.AllNodes) overrideNodes.Add(n);
    }

    public bool IsOverride(YamlNode node) => overrideNodes.Contains(node);

    /// <summary>"file:line" of a key, or "--set" when an override gave its key or value.</summary>
    public string Locate(YamlNode key, YamlNode value) =>
        IsOverride(key) || IsOverride(value) ? OverrideLocation : $"{Source}:{key.Start.Line}";
}
