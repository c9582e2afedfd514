// Where readers report unusable lines: under BadLinePolicy.Error the first one throws; under Skip each is
// counted by reason and the first few are kept with their file:line for the report and meta.json.
namespace Transformer.Data;

public sealed class BadLineLog
{
    /// <summary>How many skipped lines are kept with their location and detail.</summary>
    public const int ExamplesKept = 10;

    private readonly SortedDictionary<string, long> byReason = new(StringComparer.Ordinal);
    private readonly List<SkippedLine> first = new();

    public BadLineLog(BadLinePolicy policy) => Policy = policy;

    public BadLinePolicy Policy { get; }
    public long Total { get; private set; }

    /// <summary>Throws under Error; records the line under Skip. <paramref name="line"/> 0 means the whole file.</summary>
    public void Report(string file, long line, BadLineReason reason, string problem, string expected)
    {
        var location = line > 0 ? $"{file}:{line}" : file;
        if (Policy == BadLinePolicy.Error) throw new DataFormatException(location, problem, expected, reason);
        Total++;
        byReason[reason.Name()] = byReason.GetValueOrDefault(reason.Name()) + 1;
        if (first.Count < ExamplesKept) first.Add(new SkippedLine(location, reason.Name(), $"{problem} — expected {expected}"));
    }

    public SkipReport ToReport() => new()
    {
        Total = Total,
        ByReason = new Dictionary<string, long>(byReason),
        First = first.ToArray(),
    };
}
