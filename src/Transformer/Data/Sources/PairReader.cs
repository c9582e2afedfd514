// Tab-separated pairs for seq2seq: the source and target texts are the configured columns; other columns are ignored.
namespace Transformer.Data.Sources;

public sealed class PairReader(SourceOptions options) : ExampleReader(options)
{
    protected override RawExample? Parse(string file, long number, string text, BadLineLog log)
    {
        var needed = Math.Max(Options.SourceColumn, Options.TargetColumn) + 1;
        var columns = TsvColumns.Split(text, needed, $"source_column {Options.SourceColumn}, target_column {Options.TargetColumn}", file, number, log);
        if (columns is null) return null;
        var source = columns[Options.SourceColumn];
        var target = columns[Options.TargetColumn];
        if (!NonEmpty(source, "source", file, number, log) || !NonEmpty(target, "target", file, number, log)) return null;
        return new RawExample(file, number, source, Target: target);
    }
}
