// What the data pipeline needs from a tokenizer. Transformer.Text.Tokenizer is adapted to it; tests use a
// character encoder. Encode returns the text's tokens only: the pipeline adds BOS/EOS itself.
namespace Transformer.Data;

public interface ITextEncoder
{
    /// <summary>Number of token ids; every id Encode returns is in [0, VocabSize).</summary>
    int VocabSize { get; }

    /// <summary>The tokens of <paramref name="text"/>, without special tokens (no BOS/EOS added).</summary>
    int[] Encode(string text);

    /// <summary>Encode for each text, in order. May be called from several threads at once.</summary>
    IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts);

    /// <summary>Identifies the vocabulary and encoding rules: equal hashes ⇒ equal encodings. Prepared data records it.</summary>
    string Hash { get; }

    int? PadId { get; }
    int? BosId { get; }
    int? EosId { get; }
}
