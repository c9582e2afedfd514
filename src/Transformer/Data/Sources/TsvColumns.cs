// Splits a TSV line into columns and reports lines that lack a needed column.
namespace Transformer.Data.Sources;

internal static class TsvColumns
{
    /// <summary>The columns, or null after reporting a line with fewer than <paramref name="needed"/> columns.</summary>
    public static string[]? Split(string text, int needed, string names, string file, long number, BadLineLog log)
    {
        var columns = text.Split('\t');
        if (columns.Length >= needed) return columns;
        var found = columns.Length == 1 ? "1 column (no tab)" : $"{columns.Length} columns";
        log.Report(file, number, BadLineReason.MissingColumn, found, $"at least {needed} tab-separated columns ({names})");
        return null;
    }
}
