// Classification as TSV: the label and the text are the configured columns; other columns are ignored.
// Whether the label belongs to the label set is checked by the caller, which knows the set.
namespace Transformer.Data.Sources;

public sealed class LabeledTsvReader(SourceOptions options) : ExampleReader(options)
{
    protected override RawExample? Parse(string file, long number, string text, BadLineLog log)
    {
        var needed = Math.Max(Options.LabelColumn, Options.TextColumn) + 1;
        var columns = TsvColumns.Split(text, needed, $"label_column {Options.LabelColumn}, text_column {Options.TextColumn}", file, number, log);
        if (columns is null) return null;
        var label = columns[Options.LabelColumn].Trim();
        var body = columns[Options.TextColumn];
        if (!NonEmpty(label, "label", file, number, log) || !NonEmpty(body, "text", file, number, log)) return null;
        return new RawExample(file, number, body, Label: label);
    }
}
