// One line of a source file as the line reader yields it: its 1-based number and its text, or why it has none.
namespace Transformer.Data.Sources;

public readonly record struct SourceLine(long Number, string? Text, BadLineReason? Problem, string? Detail)
{
    public bool IsBlank => Text is not null && string.IsNullOrWhiteSpace(Text);
}
