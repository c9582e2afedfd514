// Everything of a tokenizer but its model: added tokens, normalizer, pre-tokenizer, decoder and the
// (id-neutral) post-processor. Cuts text into added tokens and words the way Hugging Face does:
// non-normalized added tokens are found in the raw text; the text between them is normalized; normalized
// added tokens are found in that; the rest is pre-tokenized into words.
namespace Transformer.Text;

internal sealed class TokenizerPipeline
{
    public TokenizerPipeline(
        IEnumerable<AddedToken> addedTokens,
        Normalizer? normalizer,
        PreTokenizer? preTokenizer,
        TokenDecoder? decoder,
        ByteLevelSettings? postProcessor = null)
    {
        AddedTokens = addedTokens.OrderBy(t => t.Id).ToArray().AsReadOnly();
        Normalizer = normalizer;
        PreTokenizer = preTokenizer;
        Decoder = decoder;
        PostProcessor = postProcessor;
        AddedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        AddedById = new Dictionary<int, AddedToken>();
        foreach (var token in AddedTokens)
        {
            AddedByContent.TryAdd(token.Content, token);
            AddedById.TryAdd(token.Id, token);
        }
        var raw = AddedTokens.Where(t => normalizer is null || !t.Normalized).Select(t => (t.Content, t)).ToArray();
        var normalized = AddedTokens.Where(t => normalizer is not null && t.Normalized)
            .Select(t => (normalizer!.Normalize(t.Content), t)).ToArray();
        RawMatcher = raw.Length == 0 ? null : new AddedTokenMatcher(raw);
        NormalizedMatcher = normalized.Length == 0 ? null : new AddedTokenMatcher(normalized);
    }

    public IReadOnlyList<AddedToken> AddedTokens { get; }
    public Dictionary<string, AddedToken> AddedByContent { get; }
    public Dictionary<int, AddedToken> AddedById { get; }
    public Normalizer? Normalizer { get; }
    public PreTokenizer? PreTokenizer { get; }
    public TokenDecoder? Decoder { get; }
    public ByteLevelSettings? PostProcessor { get; }
    private AddedTokenMatcher? RawMatcher { get; }
    private AddedTokenMatcher? NormalizedMatcher { get; }

    /// <summary>
    /// Cuts <paramref name="text"/> into words, handed to <paramref name="words"/> in order; added tokens
    /// met on the way are appended to <paramref name="tokenIds"/> (the list the words' ids go to), or
    /// skipped when it is null.
    /// </summary>
    public void Split(ReadOnlySpan<char> text, PieceSink words, List<int>? tokenIds)
    {
        if (RawMatcher is null)
        {
            SplitSegment(text, words, tokenIds);
            return;
        }
        foreach (var (start, end, token) in RawMatcher.Split(text))
        {
            if (token is not null) tokenIds?.Add(token.Id);
            else SplitSegment(text[start..end], words, tokenIds);
        }
    }

    private void SplitSegment(ReadOnlySpan<char> text, PieceSink words, List<int>? tokenIds)
    {
        if (Normalizer is null)
        {
            PreTokenize(text, words);
            return;
        }
        var normalized = Normalizer.Normalize(text.ToString()).AsSpan();
        if (NormalizedMatcher is null)
        {
            PreTokenize(normalized, words);
            return;
        }
        foreach (var (start, end, token) in NormalizedMatcher.Split(normalized))
        {
            if (token is not null) tokenIds?.Add(token.Id);
            else PreTokenize(normalized[start..end], words);
        }
    }

    private void PreTokenize(ReadOnlySpan<char> text, PieceSink words)
    {
        if (text.IsEmpty) return;
        if (PreTokenizer is null) words.Add(text);
        else PreTokenizer.PreTokenize(text, words);
    }

    /// <summary>The text of <paramref name="tokens"/> through the decoder (or joined by spaces without one).</summary>
    public string Decode(List<string> tokens) =>
        Decoder is null ? string.Join(' ', tokens) : string.Concat(Decoder.DecodeChain(tokens));

    /// <summary>Writes the members before "model", in Hugging Face's order.</summary>
    public void WriteComponents(TokenizerJsonWriter json)
    {
        json.Property("version", "1.0").Key("truncation").Null().Key("padding").Null();
        json.Key("added_tokens").StartArray();
        foreach (var t in AddedTokens)
        {
            json.StartObject()
                .Property("id", t.Id)
                .Property("content", t.Content)
                .Property("single_word", t.SingleWord)
                .Property("lstrip", t.LStrip)
                .Property("rstrip", t.RStrip)
                .Property("normalized", t.Normalized)
                .Property("special", t.Special)
                .EndObject();
        }
        json.EndArray();
        json.Key("normalizer");
        if (Normalizer is null) json.Null(); else Normalizer.Write(json);
        json.Key("pre_tokenizer");
        if (PreTokenizer is null) json.Null(); else PreTokenizer.Write(json);
        json.Key("post_processor");
        if (PostProcessor is null) json.Null(); else PostProcessor.Write(json);
        json.Key("decoder");
        if (Decoder is null) json.Null(); else Decoder.Write(json);
    }
}
