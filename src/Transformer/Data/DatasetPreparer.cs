// Prepare: sources → binary shards + meta.json. Skips all work when the output's fingerprint (format version,
// settings, tokenizer hash, source SHA-256s) is unchanged; otherwise builds into a temporary sibling directory
// and renames it into place, so the output directory is always either the old dataset or the complete new one.
using System.Security.Cryptography;
using System.Text;
using Transformer.Data.Shards;

namespace Transformer.Data;

public static class DatasetPreparer
{
    /// <summary>Prepares <paramref name="options"/>.OutputDirectory (or finds it up to date). Progress lines go to
    /// <paramref name="report"/>; bad lines throw a DataFormatException or are skipped and reported, per Source.OnBadLine.</summary>
    public static PrepareResult Prepare(PrepareOptions options, ITextEncoder encoder, Action<string>? report = null)
    {
        options.Validate();
        if (encoder.VocabSize <= 0) throw new ArgumentException($"the encoder's vocabulary size is {encoder.VocabSize}", nameof(encoder));
        var output = Path.GetFullPath(options.OutputDirectory);
        var sources = HashSources(options);
        var settings = new PrepareSettings
        {
            Source = options.Source,
            PreSplit = options.PreSplit,
            ValidFraction = options.ValidFraction,
            TestFraction = options.TestFraction,
            SplitSeed = options.SplitSeed,
        };
        var fingerprint = Fingerprint(settings, encoder, sources);

        var (upToDate, why, existing) = CheckExisting(output, fingerprint, encoder, sources);
        if (upToDate)
        {
            var same = $"{output}: up to date (same sources, tokenizer and settings) — nothing to do";
            report?.Invoke(same);
            return new PrepareResult(output, existing!, true, same);
        }
        report?.Invoke($"{output}: preparing ({why})");

        var parent = Path.GetDirectoryName(output) ?? throw new ArgumentException($"{output} has no parent directory");
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(output)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            var meta = new ShardBuilder(options, encoder, temporary).Build(settings, sources, fingerprint);
            MetaJson.Write(Path.Combine(temporary, ShardFiles.MetaFile), meta);
            Publish(temporary, output);
            var message = Summary(output, meta);
            report?.Invoke(message);
            return new PrepareResult(output, meta, false, message);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static List<SourceFileMeta> HashSources(PrepareOptions options)
    {
        var result = new List<SourceFileMeta>();
        foreach (var (split, files) in new[] { ("train", options.Train), ("valid", options.Valid), ("test", options.Test) })
            foreach (var path in files)
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new ConfigException($"data.{split}", path, "an existing source file");
                result.Add(new SourceFileMeta { Split = split, Path = path, Bytes = info.Length, Sha256 = FileHash.Sha256(path) });
            }
        return result;
    }

    private static string Fingerprint(PrepareSettings settings, ITextEncoder encoder, IReadOnlyList<SourceFileMeta> sources)
    {
        var basis = MetaJson.Serialize(new
        {
            FormatVersion = DatasetMeta.CurrentFormatVersion,
            Settings = settings,
            TokenizerHash = encoder.Hash,
            encoder.VocabSize,
            encoder.PadId,
            encoder.BosId,
            encoder.EosId,
            Sources = sources.Select(s => new { s.Split, s.Sha256 }),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(basis)));
    }

    private static (bool UpToDate, string Why, DatasetMeta? Existing) CheckExisting(
        string output, string fingerprint, ITextEncoder encoder, IReadOnlyList<SourceFileMeta> sources)
    {
        if (!Directory.Exists(output)) return (false, "no prepared data yet", null);
        var metaPath = Path.Combine(output, ShardFiles.MetaFile);
        if (!File.Exists(metaPath))
        {
            if (Directory.EnumerateFileSystemEntries(output).Any())
                throw new DataFormatException(output, "a non-empty directory without meta.json",
                    "an empty directory or a prepared dataset — refusing to replace it; choose another prepared_dir");
            return (false, "no prepared data yet", null);
        }
        DatasetMeta existing;
        try
        {
            existing = MetaJson.Read(metaPath);
        }
        catch (DataFormatException e)
        {
            return (false, $"the old meta.json is unusable: {e.Message}", null);
        }
        if (existing.Fingerprint != fingerprint)
        {
            if (existing.TokenizerHash != encoder.Hash) return (false, $"the tokenizer changed: {existing.TokenizerHash} → {encoder.Hash}", null);
            var before = existing.Sources.Select(s => (s.Split, s.Sha256));
            if (!before.SequenceEqual(sources.Select(s => (s.Split, s.Sha256)))) return (false, "the source files changed", null);
            return (false, "the settings changed", null);
        }
        foreach (var file in existing.Splits.Values.SelectMany(s => s.Files))
        {
            var info = new FileInfo(Path.Combine(output, file.File));
            if (!info.Exists || info.Length != file.Bytes) return (false, $"{file.File} is missing or has the wrong size", null);
        }
        return (true, "", existing);
    }

    /// <summary>Moves the finished temporary directory into place. The old output, if any, is first renamed aside
    /// and deleted after, so a reader never sees a mixture; directory renames on one file system are atomic.</summary>
    private static void Publish(string temporary, string output)
    {
        if (!Directory.Exists(output))
        {
            Directory.Move(temporary, output);
            return;
        }
        var old = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.old-{Guid.NewGuid():N}");
        Directory.Move(output, old);
        Directory.Move(temporary, output);
        TryDelete(old);
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string Summary(string output, DatasetMeta meta) =>
        $"{output}: prepared {string.Join(", ", meta.Splits.Select(s => $"{s.Key} {s.Value.Examples:N0} examples / {s.Value.Tokens:N0} tokens"))}" +
        $" ({meta.TokenDtype.ToString().ToLowerInvariant()}); {meta.Skipped.Summary()}";
}
