// meta.json: everything needed to read and check a prepared dataset (docs/data.md describes each field).
using Transformer.Data.Sources;

namespace Transformer.Data.Shards;

public sealed record DatasetMeta
{
    /// <summary>The on-disk format this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    public required int FormatVersion { get; init; }
    public required DatasetKind Kind { get; init; }
    /// <summary>SHA-256 over the format version, settings, tokenizer and source hashes: equal ⇒ nothing to redo.</summary>
    public required string Fingerprint { get; init; }
    public required string TokenizerHash { get; init; }
    public required int VocabSize { get; init; }
    public required TokenDtype TokenDtype { get; init; }
    public int? PadId { get; init; }
    public int? BosId { get; init; }
    public int? EosId { get; init; }
    /// <summary>Token segments per example: 2 for seq2seq (source, target), else 1.</summary>
    public required int SegmentsPerExample { get; init; }
    /// <summary>Language models: every document's tokens end with EosId (so the stream is the documents joined by EOS).</summary>
    public required bool DocumentsEndWithEos { get; init; }
    /// <summary>Classification: label names in id order; null otherwise.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    public required PrepareSettings Settings { get; init; }
    public required IReadOnlyList<SourceFileMeta> Sources { get; init; }
    /// <summary>Blank lines in the sources (allowed; not examples).</summary>
    public required long BlankLines { get; init; }
    public required SkipReport Skipped { get; init; }
    /// <summary>"train", then "valid" and "test" when present.</summary>
    public required IReadOnlyDictionary<string, SplitMeta> Splits { get; init; }
}
