// Names a YAML key (or enum value) whose spelling differs from the default naming rule.
namespace Transformer.Configuration;

/// <summary>The YAML spelling of a property (default: its name in snake_case, <c>DModel</c> → <c>d_model</c>) or of
/// an enum member (default: its name in lower case, <c>SwiGlu</c> → <c>swiglu</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}
