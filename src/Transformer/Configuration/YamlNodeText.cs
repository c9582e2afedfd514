// Shows a YAML node in an error message: a scalar as its (quoted) text, a collection in flow style.
using YamlDotNet.RepresentationModel;

namespace Transformer.Configuration;

internal static class YamlNodeText
{
    /// <summary>A value for ConfigException: a string (which it quotes) for a non-null scalar, otherwise the
    /// node already written out.</summary>
    public static object Show(YamlNode node) =>
        node is YamlScalarNode scalar && !ConfigScalar.IsNull(node) ? scalar.Value! : new ShownValue(Flow(node));

    private static string Flow(YamlNode node) => node switch
    {
        YamlScalarNode scalar => ConfigScalar.IsNull(scalar) ? "null" : scalar.Value!,
        YamlSequenceNode sequence => "[" + string.Join(", ", sequence.Children.Select(Flow)) + "]",
        YamlMappingNode mapping => "{" + string.Join(", ", mapping.Children.Select(e => $"{Flow(e.Key)}: {Flow(e.Value)}")) + "}",
        _ => "*" + node.Anchor,
    };
}
