// Reads Hugging Face's tokenizer.json: models BPE and WordLevel with their added tokens, normalizer,
// pre-tokenizer, decoder and a null or ByteLevel post-processor. Anything else is refused with the file,
// the JSON path and the reason; so are malformed files (bad JSON, missing vocabulary, merges of unknown
// tokens, duplicate ids, added tokens that contradict the vocabulary).
using System.Text.Json;

namespace Transformer.Text;

internal static class TokenizerJsonReader
{
    public static Tokenizer Read(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw TokenizerFormatException.InvalidJson(file, e);
        }
        using (document)
        {
            var root = new TokenizerJsonNode(document.RootElement, file, "$");
            root.RequireKind(JsonValueKind.Object, "a tokenizer.json object");
            foreach (var unsupported in new[] { "truncation", "padding" })
                if (root.Optional(unsupported) is { } node)
                    throw node.Error($"{unsupported} settings are not supported (expected null); truncate and pad with the data pipeline");

            var modelNode = root.Get("model");
            TokenizerModel model = modelNode.Type() switch
            {
                "BPE" => ReadBpe(modelNode),
                "WordLevel" => ReadWordLevel(modelNode),
                _ => throw modelNode.Unsupported("model type"),
            };
            var addedTokens = ReadAddedTokens(root.Optional("added_tokens"), model);
            var postProcessor = root.Optional("post_processor") is { } post
                ? post.Type() == "ByteLevel" ? ByteLevelSettings.Read(post) : throw post.Unsupported("post-processor")
                : null;
            var pipeline = new TokenizerPipeline(
                addedTokens,
                Normalizer.Read(root.Optional("normalizer")),
                PreTokenizer.Read(root.Optional("pre_tokenizer")),
                TokenDecoder.Read(root.Optional("decoder")),
                postProcessor);
            return model switch
            {
                BpeModel bpe => new BpeTokenizer(pipeline, bpe),
                _ => new WordLevelTokenizer(pipeline, (WordLevelModel)model),
            };
        }
    }

    /// <summary>A vocabulary object (token → id): ids are non-negative and unique, tokens unique.</summary>
    public static Dictionary<string, int> ReadVocab(TokenizerJsonNode node)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var byId = new Dictionary<int, string>();
        foreach (var (token, value) in node.Members())
        {
            var id = value.AsInt();
            if (id < 0) throw value.Error($"expected a non-negative id, found {id}");
            if (!vocab.TryAdd(token, id)) throw value.Error($"duplicate token {TokenizerJsonNode.Quote(token)}");
            if (!byId.TryAdd(id, token))
                throw value.Error($"duplicate id {id} (also {TokenizerJsonNode.Quote(byId[id])})");
        }
        return vocab;
    }

    private static BpeModel ReadBpe(TokenizerJsonNode node)
    {
        if (node.Optional("dropout") is { } dropout && !(dropout.Kind == JsonValueKind.Number && dropout.Element.GetDouble() == 0))
            throw dropout.Error("BPE dropout is not supported (expected null or 0): encoding must be deterministic");
        var vocab = ReadVocab(node.Get("vocab"));
        var merges = new List<(string, string)>();
        var arrays = false;
        if (node.Optional("merges") is { } mergesNode)
        {
            foreach (var item in mergesNode.Items())
            {
                if (item.Kind == JsonValueKind.Array)
                {
                    arrays = true;
                    var parts = item.Items().ToArray();
                    if (parts.Length != 2) throw item.Error($"expected a pair of tokens, found {parts.Length} items");
                    merges.Add((parts[0].AsString(), parts[1].AsString()));
                }
                else
                {
                    var text = item.AsString();
                    var space = text.IndexOf(' ');
                    if (space < 0 || text.IndexOf(' ', space + 1) >= 0)
                        throw item.Error($"expected two tokens separated by a space, found {TokenizerJsonNode.Quote(text)}");
                    merges.Add((text[..space], text[(space + 1)..]));
                }
            }
        }
        var unk = node.Optional("unk_token");
        var options = new BpeOptions
        {
            UnkToken = unk?.AsString(),
            ContinuingSubwordPrefix = node.OptionalString("continuing_subword_prefix"),
            EndOfWordSuffix = node.OptionalString("end_of_word_suffix"),
            FuseUnk = node.OptionalBool("fuse_unk", false),
            ByteFallback = node.OptionalBool("byte_fallback", false),
            IgnoreMerges = node.OptionalBool("ignore_merges", false),
            MergesAsArrays = arrays,
        };
        if (unk is { } u && !vocab.ContainsKey(options.UnkToken!))
            throw u.Error($"the unk token {TokenizerJsonNode.Quote(options.UnkToken!)} is not in the vocabulary");
        return new BpeModel(vocab, merges, options,
            (i, problem) => TokenizerFormatException.At(node.File, $"{node.Path}.merges[{i}]", problem));
    }

    private static WordLevelModel ReadWordLevel(TokenizerJsonNode node)
    {
        var vocab = ReadVocab(node.Get("vocab"));
        var unk = node.Optional("unk_token");
        var unkToken = unk?.AsString();
        if (unk is { } u && !vocab.ContainsKey(unkToken!))
            throw u.Error($"the unk token {TokenizerJsonNode.Quote(unkToken!)} is not in the vocabulary");
        return new WordLevelModel(vocab, unkToken);
    }

    private static List<AddedToken> ReadAddedTokens(TokenizerJsonNode? node, TokenizerModel model)
    {
        var tokens = new List<AddedToken>();
        if (node is not { } list) return tokens;
        var ids = new HashSet<int>();
        var contents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items())
        {
            var idNode = item.Get("id");
            var id = idNode.AsInt();
            if (id < 0) throw idNode.Error($"expected a non-negative id, found {id}");
            var content = item.Get("content").AsString();
            if (content.Length == 0) throw item.Error("an added token cannot be empty");
            var special = item.OptionalBool("special", false);
            var token = new AddedToken(id, content, special,
                item.OptionalBool("single_word", false),
                item.OptionalBool("lstrip", false),
                item.OptionalBool("rstrip", false),
                item.OptionalBool("normalized", !special));
            if (!ids.Add(id)) throw idNode.Error($"duplicate id {id}");
            if (!contents.Add(content)) throw item.Error($"duplicate added token {TokenizerJsonNode.Quote(content)}");
            if (model.TokenToId(content) is { } modelId && modelId != id)
                throw item.Error($"{TokenizerJsonNode.Quote(content)} has id {id} here but {modelId} in the model's vocabulary");
            if (model.IdToToken(id) is { } modelToken && modelToken != content)
                throw item.Error($"id {id} is {TokenizerJsonNode.Quote(content)} here but {TokenizerJsonNode.Quote(modelToken)} in the model's vocabulary");
            tokens.Add(token);
        }
        return tokens;
    }
}
