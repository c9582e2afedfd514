// One id per word: the word's id in the vocabulary, else the unk token's. Without an unk token an
// unknown word is an error (as in Hugging Face).
namespace Transformer.Text;

internal sealed class WordLevelModel : TokenizerModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<int, string> _tokens = new();
    private readonly int _unkId = -1;

    public WordLevelModel(Dictionary<string, int> vocab, string? unkToken)
    {
        _vocab = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        _lookup = _vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        Vocab = _vocab.AsReadOnly();
        foreach (var (token, id) in _vocab)
        {
            if (!_tokens.TryAdd(id, token))
                throw new ArgumentException($"id {id} is given to both \"{_tokens[id]}\" and \"{token}\"", nameof(vocab));
            MaxId = Math.Max(MaxId, id);
        }
        UnkToken = unkToken;
        if (unkToken is not null)
            _unkId = _vocab.TryGetValue(unkToken, out var id) ? id : throw new ArgumentException($"unk token \"{unkToken}\" is not in the vocabulary", nameof(unkToken));
    }

    public IReadOnlyDictionary<string, int> Vocab { get; }
    public override int MaxId { get; } = -1;
    public override int Count => _vocab.Count;
    public override string? UnkToken { get; }

    public override void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (_lookup.TryGetValue(word, out var id)) ids.Add(id);
        else if (_unkId >= 0) ids.Add(_unkId);
        else throw new UnknownTokenException(word.ToString());
    }

    public override int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;

    public override string? IdToToken(int id) => _tokens.GetValueOrDefault(id);

    public override void Write(TokenizerJsonWriter json)
    {
        json.StartObject().Property("type", "WordLevel");
        WriteVocab(json, _vocab);
        json.Property("unk_token", UnkToken).EndObject();
    }
}
