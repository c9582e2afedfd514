// The entry point `transformer prepare` calls: converts a fetched corpus (data/raw/<name>) into the
// pipeline's source files (data/prepared/<name>) unless the stamp there shows they are up to date.
namespace Transformer.Data.Corpora;

public static class CorpusConversions
{
    /// <summary>The corpora that can be fetched (scripts/fetch-data.sh) and converted.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cmudict", "brown", "spamassassin", "cedict"];

    /// <summary>The converter of <paramref name="name"/> with its standard options, and what the data section
    /// chooses (data.include_subject).</summary>
    public static ICorpusConverter Create(string name, Configuration.DataConfig? data = null) => name switch
    {
        "cmudict" => new CmudictConverter(),
        "brown" => new BrownConverter(),
        "cedict" => new CedictConverter(),
        "spamassassin" => new SpamAssassinConverter(new SpamAssassinOptions { IncludeSubject = data?.IncludeSubject ?? false }),
        _ => throw new ConfigException("corpus", name, $"one of {string.Join(", ", Names)}"),
    };

    /// <summary>The fetched packages (data/raw/NAME) a corpus is converted from: itself, or a composite's parts.</summary>
    public static IReadOnlyList<string> RawPackages(string name) => name == SpamPretrainConverter.CorpusName ? SpamPretrainConverter.Parts : [name];

    /// <summary>Converts <paramref name="rawRoot"/>/<paramref name="name"/> into
    /// <paramref name="outRoot"/>/<paramref name="name"/>; a composite converts its parts first and is then made
    /// from their outputs under <paramref name="outRoot"/>.</summary>
    public static CorpusReport Convert(string name, string rawRoot, string outRoot, int seed, bool force = false, Configuration.DataConfig? data = null)
    {
        if (name != SpamPretrainConverter.CorpusName)
            return Convert(Create(name, data), Path.Combine(rawRoot, name), Path.Combine(outRoot, name), seed, force);
        foreach (var part in SpamPretrainConverter.Parts)
            Convert(Create(part), Path.Combine(rawRoot, part), Path.Combine(outRoot, part), seed, force);
        return Convert(new SpamPretrainConverter(), outRoot, Path.Combine(outRoot, name), seed, force);
    }

    /// <summary>Converts with <paramref name="converter"/> unless <paramref name="outDir"/>'s stamp matches
    /// the inputs (sizes and SHA-256), the converter's version and options and the seed; then returns the
    /// stored report with <see cref="CorpusReport.UpToDate"/> set and touches nothing.
    /// <paramref name="force"/> converts regardless.</summary>
    public static CorpusReport Convert(ICorpusConverter converter, string rawDir, string outDir, int seed, bool force = false)
    {
        var key = CorpusStamp.KeyOf(converter, rawDir, seed);
        if (!force && CorpusStamp.Current(outDir, key) is { Report: { } stored })
            return stored with { UpToDate = true };
        Directory.CreateDirectory(outDir);
        CorpusStamp.Delete(outDir); // a conversion that fails half-way leaves no stamp behind
        var report = converter.Convert(rawDir, outDir, seed);
        CorpusStamp.Write(outDir, key, converter.OutputFiles, report);
        return report;
    }
}
