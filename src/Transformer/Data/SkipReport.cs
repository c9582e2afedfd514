// Lines left out under on_bad_line: skip, as reported and recorded in meta.json.
namespace Transformer.Data;

public sealed record SkipReport
{
    /// <summary>Lines (and empty files) skipped in all.</summary>
    public required long Total { get; init; }
    /// <summary>Counts by reason name (invalid_utf8, missing_column, …), sorted by name.</summary>
    public required IReadOnlyDictionary<string, long> ByReason { get; init; }
    /// <summary>The first BadLineLog.ExamplesKept of them, in reading order.</summary>
    public required IReadOnlyList<SkippedLine> First { get; init; }

    public static SkipReport None { get; } = new() { Total = 0, ByReason = new Dictionary<string, long>(), First = [] };

    /// <summary>One line for a console: "skipped 3 bad lines: invalid_utf8 2, missing_column 1 (first: a.tsv:4 …)".</summary>
    public string Summary() => Total == 0 ? "no bad lines" :
        $"skipped {Total} bad line{(Total == 1 ? "" : "s")}: {string.Join(", ", ByReason.Select(p => $"{p.Key} {p.Value}"))}" +
        (First.Count > 0 ? $" (first: {First[0].Location}: {First[0].Detail})" : "");
}
