// Plain text for language models: every non-blank line is one document, taken as it is.
namespace Transformer.Data.Sources;

public sealed class TextLineReader(SourceOptions options) : ExampleReader(options)
{
    protected override RawExample? Parse(string file, long number, string text, BadLineLog log) => new(file, number, text);
}
