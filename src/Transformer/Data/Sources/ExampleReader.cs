// Turns the lines of a source file into raw examples. The base handles what every layout shares (empty
// files, blank lines, invalid UTF-8, over-long lines); a subclass parses one good line. Every unusable
// line goes to the BadLineLog, which throws or counts it: nothing is dropped silently.
namespace Transformer.Data.Sources;

public abstract class ExampleReader
{
    protected ExampleReader(SourceOptions options) => Options = options;

    protected SourceOptions Options { get; }

    /// <summary>The reader for options.Kind.</summary>
    public static ExampleReader For(SourceOptions options) => options.Kind switch
    {
        SourceKind.Text => new TextLineReader(options),
        SourceKind.Pairs => new PairReader(options),
        SourceKind.LabeledTsv => new LabeledTsvReader(options),
        SourceKind.LabeledJsonl => new LabeledJsonlReader(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown source kind"),
    };

    /// <summary>Blank lines seen by the last Read (allowed, not examples, not bad lines).</summary>
    public long BlankLines { get; private set; }

    /// <summary>The examples of <paramref name="path"/> in file order; bad lines are reported to <paramref name="log"/>.</summary>
    public IEnumerable<RawExample> Read(string path, BadLineLog log)
    {
        BlankLines = 0;
        var nonBlank = false;
        foreach (var line in Utf8LineReader.Read(path, Options.MaxLineChars))
        {
            if (line.Text is null)
            {
                nonBlank = true;
                log.Report(path, line.Number, line.Problem!.Value, line.Detail!, Expectation(line.Problem.Value));
                continue;
            }
            if (line.IsBlank)
            {
                BlankLines++;
                continue;
            }
            nonBlank = true;
            if (Parse(path, line.Number, line.Text, log) is { } example) yield return example;
        }
        if (!nonBlank)
            log.Report(path, 0, BadLineReason.EmptyFile, BlankLines == 0 ? "an empty file" : $"a file of {BlankLines} blank line(s)", "at least one example");
    }

    /// <summary>The example on a non-blank line, or null after reporting why there is none.</summary>
    protected abstract RawExample? Parse(string file, long number, string text, BadLineLog log);

    private string Expectation(BadLineReason reason) => reason switch
    {
        BadLineReason.InvalidUtf8 => "UTF-8 text",
        BadLineReason.LineTooLong => $"at most {Options.MaxLineChars:N0} characters per line (max_line_chars)",
        _ => reason.Name(),
    };

    /// <summary>Reports an empty or whitespace-only field and returns false.</summary>
    protected static bool NonEmpty(string value, string what, string file, long number, BadLineLog log)
    {
        if (!string.IsNullOrWhiteSpace(value)) return true;
        log.Report(file, number, BadLineReason.EmptyField, $"an empty {what}", $"a non-empty {what}");
        return false;
    }
}
