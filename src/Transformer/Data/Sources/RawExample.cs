// One usable line of a source file, before tokenization. Text is the document (LM), the source (pairs) or
// the text to classify; Target and Label are set for pairs and classification.
namespace Transformer.Data.Sources;

public sealed record RawExample(string File, long Line, string Text, string? Target = null, string? Label = null)
{
    public string Location => $"{File}:{Line}";
}
