// The naming rules between C# and YAML: property → snake_case key, enum member → lower-case value.
using System.Reflection;
using System.Text;

namespace Transformer.Configuration;

internal static class ConfigNaming
{
    public static string Key(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? SnakeCase(property.Name);

    /// <summary>DModel → d_model, LayerNormEps → layer_norm_eps, OnNonfinite → on_nonfinite.</summary>
    public static string SnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var afterLower = char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]);
                var acronymEnd = char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (afterLower || acronymEnd) result.Append('_');
            }
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }

    /// <summary>The YAML spellings of an enum's members, in declaration order.</summary>
    public static IReadOnlyList<(string Name, object Value)> EnumValues(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? f.Name.ToLowerInvariant(), f.GetValue(null)!))
            .ToList();

    public static string EnumValue(object value) =>
        EnumValues(value.GetType()).First(e => e.Value.Equals(value)).Name;
}
