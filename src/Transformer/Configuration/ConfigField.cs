// One bindable property of a config record: its YAML key, its value type and how that type is read.
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Transformer.Configuration;

internal enum ConfigFieldShape
{
    /// <summary>One YAML scalar: integer, number, boolean, string, enum or duration.</summary>
    Scalar,
    /// <summary>A fixed-length list of scalars, held in a ValueTuple (e.g. betas: [0.9, 0.98]).</summary>
    Tuple,
    /// <summary>A list of any length of one scalar type, held in an IReadOnlyList (e.g. init_modules: [embed, encoder]).</summary>
    List,
    /// <summary>A mapping from names to one scalar type, held in an IReadOnlyDictionary (e.g. init_map: {source_embed: embed}).</summary>
    Map,
    /// <summary>A nested record: a YAML mapping.</summary>
    Section,
    /// <summary>An abstract record whose concrete type the mapping's `kind` key selects.</summary>
    Variant,
}

internal sealed class ConfigField
{
    // NullabilityInfoContext is not thread-safe, hence one per field (schemas are built once per type and cached).
    public ConfigField(PropertyInfo property)
    {
        Property = property;
        Key = ConfigNaming.Key(property);
        Type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        AllowsNull = property.PropertyType != Type
            || (!Type.IsValueType && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable);
        // By name: ScottPlot carries a public polyfill of the attribute, so the type name alone is ambiguous.
        Required = property.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.RequiredMemberAttribute");
        Variants = property.GetCustomAttributes<ConfigVariantAttribute>().ToList();
        Shape = Variants.Count > 0 ? ConfigFieldShape.Variant
            : ConfigScalar.IsScalarType(Type) ? ConfigFieldShape.Scalar
            : Type.IsGenericType && Type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal) ? ConfigFieldShape.Tuple
            : Type.IsGenericType && Type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && ConfigScalar.IsScalarType(ListElement(Type))
                ? ConfigFieldShape.List
            : Type.IsGenericType && Type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
              && Type.GetGenericArguments()[0] == typeof(string) && ConfigScalar.IsScalarType(Type.GetGenericArguments()[1])
                ? ConfigFieldShape.Map
            : Type.IsClass && !Type.IsAbstract ? ConfigFieldShape.Section
            : throw new NotSupportedException($"{property.DeclaringType?.Name}.{property.Name}: {Type} cannot be bound from YAML");
        if (Shape == ConfigFieldShape.Tuple && TupleElements.Any(t => !ConfigScalar.IsScalarType(t)))
            throw new NotSupportedException($"{property.DeclaringType?.Name}.{property.Name}: tuple elements must be scalars");
    }

    public PropertyInfo Property { get; }
    /// <summary>The YAML key (snake_case unless [ConfigKey] says otherwise).</summary>
    public string Key { get; }
    /// <summary>The value type, without Nullable&lt;&gt;.</summary>
    public Type Type { get; }
    /// <summary>Whether YAML's null is a valid value (a Nullable&lt;T&gt; or a nullable reference).</summary>
    public bool AllowsNull { get; }
    /// <summary>A C# `required` member: the YAML must give it.</summary>
    public bool Required { get; }
    public ConfigFieldShape Shape { get; }
    public IReadOnlyList<ConfigVariantAttribute> Variants { get; }
    public Type[] TupleElements => Type.GetGenericArguments();
    /// <summary>The item type of a List field.</summary>
    public Type ListItem => ListElement(Type);
    /// <summary>The value type of a Map field.</summary>
    public Type MapValue => Type.GetGenericArguments()[1];

    /// <summary>What a valid value looks like, for "— expected …".</summary>
    public string Describe() => Shape switch
    {
        ConfigFieldShape.Scalar => ConfigScalar.Describe(Type, AllowsNull),
        ConfigFieldShape.Tuple => DescribeTuple(),
        ConfigFieldShape.List => $"a list of {Plural(ListItem)}{(AllowsNull ? " or null" : "")}",
        ConfigFieldShape.Map => $"a mapping of names to {Plural(MapValue)}{(AllowsNull ? " or null" : "")}",
        ConfigFieldShape.Section => AllowsNull ? "a mapping or null" : "a mapping",
        _ => $"a mapping with {ConfigVariantAttribute.KindKey}: {VariantNames}",
    };

    public string VariantNames => string.Join('|', Variants.Select(v => v.Kind));

    private static Type ListElement(Type type) => type.GetGenericArguments()[0];

    private static string Plural(Type item) =>
        item == typeof(string) ? "strings" : item == typeof(double) ? "numbers" : item == typeof(int) || item == typeof(long) ? "integers" : "values";

    private string DescribeTuple()
    {
        var elements = TupleElements;
        var noun = elements.All(t => t == typeof(double)) ? "numbers"
            : elements.All(t => t == typeof(int) || t == typeof(long)) ? "integers"
            : "values";
        return $"a list of {elements.Length} {noun}";
    }
}
