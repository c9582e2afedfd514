// Where each bound key came from ("file:line" or "--set"), so that errors found after binding point at it.
namespace Transformer.Configuration;

internal sealed class KeyLocations(string rootLocation)
{
    private readonly Dictionary<string, string> byPath = [];

    public void Record(string path, string location) => byPath[path] = location;

    /// <summary>The location of a dotted key; for a key the YAML did not give (its default was used), the location
    /// of its nearest enclosing section that it did give, or the document's start.</summary>
    public string Find(string path)
    {
        for (var p = path; p.Length > 0; p = p[..Math.Max(p.LastIndexOf('.'), 0)])
            if (byPath.TryGetValue(p, out var location)) return location;
        return rootLocation;
    }
}
