// Which tokenizer tokenizer.kind selects: one the project trains (bpe, char, word) or one of
// Microsoft.ML.Tokenizers' pretrained kinds (tiktoken, sentencepiece, wordpiece; bpe with vocab + merges).
namespace Transformer.Configuration;

public enum TokenizerKind
{
    /// <summary>Byte-level byte-pair encoding (GPT-2 style): trained here, or GPT-2's vocab.json + merges.txt.</summary>
    Bpe,
    /// <summary>One token per Unicode character.</summary>
    Char,
    /// <summary>One token per whitespace-separated word.</summary>
    Word,
    /// <summary>OpenAI's tiktoken encodings (tokenizer.encoding).</summary>
    Tiktoken,
    /// <summary>A SentencePiece .model (BPE or Unigram) or a Unigram tokenizer.json (tokenizer.path).</summary>
    SentencePiece,
    /// <summary>BERT's WordPiece vocab.txt (tokenizer.path).</summary>
    WordPiece,
}
