// One line left out under on_bad_line: skip.
namespace Transformer.Data;

/// <summary>One skipped line: where, why (reason name) and what was wrong.</summary>
public sealed record SkippedLine(string Location, string Reason, string Detail);
