// The part of a tokenizer that turns one pre-tokenized word into ids: Hugging Face's "model"
// (BPE or WordLevel). Immutable apart from caches; thread-safe.
namespace Transformer.Text;

internal abstract class TokenizerModel
{
    public abstract void EncodeWord(ReadOnlySpan<char> word, List<int> ids);

    public abstract int? TokenToId(string token);

    public abstract string? IdToToken(int id);

    /// <summary>The largest id in the vocabulary, or -1 for an empty one.</summary>
    public abstract int MaxId { get; }

    /// <summary>The number of tokens in the vocabulary.</summary>
    public abstract int Count { get; }

    public abstract string? UnkToken { get; }

    /// <summary>Writes the "model" object.</summary>
    public abstract void Write(TokenizerJsonWriter json);

    /// <summary>Writes a vocabulary as a JSON object in id order.</summary>
    protected static void WriteVocab(TokenizerJsonWriter json, IReadOnlyDictionary<string, int> vocab)
    {
        json.Key("vocab").StartObject();
        foreach (var (token, id) in vocab.OrderBy(e => e.Value)) json.Property(token, id);
        json.EndObject();
    }
}
