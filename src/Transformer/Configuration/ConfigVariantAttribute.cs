// Declares the concrete records an abstract config property may hold, chosen by the section's `kind` key.
namespace Transformer.Configuration;

/// <summary>On a property of an abstract record type: <c>kind: Kind</c> in its YAML section selects
/// <see cref="Type"/>. Repeat the attribute once per variant.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class ConfigVariantAttribute(string kind, Type type) : Attribute
{
    /// <summary>The key inside a polymorphic section that names its variant.</summary>
    public const string KindKey = "kind";

    public string Kind { get; } = kind;
    public Type Type { get; } = type;
}
