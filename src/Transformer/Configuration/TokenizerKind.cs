// Which tokenizer tokenizer.kind selects.
namespace Transformer.Configuration;

public enum TokenizerKind
{
    /// <summary>Byte-level byte-pair encoding (GPT-2 style).</summary>
    Bpe,
    /// <summary>One token per Unicode character.</summary>
    Char,
    /// <summary>One token per whitespace-separated word.</summary>
    Word,
}
