// Which tensors a partial weight load touches: those under any of a list of module prefixes (embed, encoder,
// encoder.layers.0, …) of a state_dict. model.init_modules is one; a prefix covers the module and everything in it.
using System.Text.RegularExpressions;

namespace Transformer.Models;

public sealed partial class ModuleSelection
{
    /// <summary>Every tensor.</summary>
    public static readonly ModuleSelection All = new(null);

    /// <param name="prefixes">Module names; null selects every tensor.</param>
    public ModuleSelection(IReadOnlyList<string>? prefixes)
    {
        if (prefixes?.FirstOrDefault(p => !IsPrefix(p)) is { } bad)
            throw new ArgumentException($"'{bad}' is not a module name (dot-separated, no wildcards)", nameof(prefixes));
        Prefixes = prefixes;
    }

    public IReadOnlyList<string>? Prefixes { get; }

    public bool IsAll => Prefixes is null;

    /// <summary>Whether the tensor <paramref name="name"/> lies in a selected module: "encoder" covers
    /// "encoder.layers.0.norm1.weight" but not "encoder_proj.weight".</summary>
    public bool Contains(string name) =>
        Prefixes is null || Prefixes.Any(p => name.Length > p.Length ? name.StartsWith(p, StringComparison.Ordinal) && name[p.Length] == '.' : name == p);

    /// <summary>The prefixes that cover none of <paramref name="names"/> (a misspelt module).</summary>
    public IReadOnlyList<string> Unmatched(IEnumerable<string> names)
    {
        if (Prefixes is null) return [];
        var all = names.ToList();
        return Prefixes.Where(p => !all.Any(n => new ModuleSelection([p]).Contains(n))).ToList();
    }

    /// <summary>A dot-separated module path without wildcards: encoder, encoder.layers.0, lm_head.</summary>
    public static bool IsPrefix(string text) => PrefixPattern().IsMatch(text);

    public override string ToString() => Prefixes is null ? "all modules" : string.Join(", ", Prefixes);

    [GeneratedRegex(@"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$")]
    private static partial Regex PrefixPattern();
}
