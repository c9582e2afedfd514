// The project's own trained tokenizers: text ⇄ token ids, saved as Hugging Face's tokenizer.json. A kind of
// Microsoft.ML.Tokenizers.Tokenizer (so any .NET code taking the library's type takes ours), with our faster
// encoder behind it. Concrete kinds: BpeTokenizer (byte-level BPE, GPT-2 style) and WordLevelTokenizer.
using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Transformer.Text;

/// <summary>
/// Encodes text to token ids and decodes them back. Encoding runs Hugging Face's pipeline: added tokens
/// are found first (so "&lt;eos&gt;" in the text is the &lt;eos&gt; id), the text between them is normalized,
/// pre-tokenized into words, and each word is encoded by the model. Instances are immutable; every
/// method is thread-safe and deterministic. As a <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> it encodes
/// the same ids; token offsets are not tracked (every <see cref="EncodedToken.Offset"/> is 0..0).
/// </summary>
public abstract class Tokenizer : Microsoft.ML.Tokenizers.Tokenizer
{
    private static readonly string[] PadNames = ["<pad>", "[PAD]", "<|pad|>", "<|padding|>"];
    private static readonly string[] BosNames = ["<bos>", "<s>", "[BOS]", "<|bos|>", "<|startoftext|>", "<|begin_of_text|>", "<|endoftext|>"];
    private static readonly string[] EosNames = ["<eos>", "</s>", "[EOS]", "<|eos|>", "<|endoftext|>", "<|end_of_text|>"];
    private static readonly string[] UnkNames = ["<unk>", "[UNK]", "<|unk|>"];

    private readonly Lazy<string> _json;
    private readonly Lazy<string> _hash;

    private protected Tokenizer(TokenizerPipeline pipeline, TokenizerModel model)
    {
        Pipeline = pipeline;
        Model = model;
        VocabSize = Math.Max(model.MaxId, pipeline.AddedTokens.Count == 0 ? -1 : pipeline.AddedTokens.Max(t => t.Id)) + 1;
        UnkId = model.UnkToken is { } unk ? TokenToId(unk) : FindRole(UnkNames);
        PadId = FindRole(PadNames);
        BosId = FindRole(BosNames);
        EosId = FindRole(EosNames);
        _json = new Lazy<string>(BuildJson);
        _hash = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_json.Value))));
    }

    internal TokenizerPipeline Pipeline { get; }
    internal TokenizerModel Model { get; }

    /// <summary>One more than the largest id (model vocabulary and added tokens): the embedding size needed.</summary>
    public int VocabSize { get; }

    /// <summary>Tokens matched before normalization and pre-tokenization, by id.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => Pipeline.AddedTokens;

    /// <summary>
    /// Ids of the special roles, found by name: an added token (any case) else a vocabulary token named
    /// &lt;pad&gt;/[PAD]/&lt;|pad|&gt;/&lt;|padding|&gt;; &lt;bos&gt;/&lt;s&gt;/[BOS]/&lt;|bos|&gt;/&lt;|startoftext|&gt;/
    /// &lt;|begin_of_text|&gt;/&lt;|endoftext|&gt;; &lt;eos&gt;/&lt;/s&gt;/[EOS]/&lt;|eos|&gt;/&lt;|endoftext|&gt;/
    /// &lt;|end_of_text|&gt;; the model's unk_token, else &lt;unk&gt;/[UNK]/&lt;|unk|&gt;. Null when absent.
    /// </summary>
    public int? PadId { get; }
    public int? BosId { get; }
    public int? EosId { get; }
    public int? UnkId { get; }

    /// <summary>The SHA-256 (lowercase hex) of the canonical tokenizer.json this tokenizer saves: equal
    /// hashes mean equal tokenizers, so it can key caches of tokenized data.</summary>
    public string Hash => _hash.Value;

    public int[] Encode(string text) => Encode(text.AsSpan());

    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids);
        return ids.ToArray();
    }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids) =>
        Pipeline.Split(text, new EncodingSink(Model, ids), ids);

    /// <summary>Encodes the texts in parallel; result i belongs to text i and equals Encode(texts[i]).</summary>
    public IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts) => EncodeInParallel(texts, Encode);

    /// <summary>Result i is <paramref name="encode"/>(texts[i]), the texts cut into chunks spread over the cores.</summary>
    internal static int[][] EncodeInParallel(IReadOnlyList<string> texts, Func<string, int[]> encode)
    {
        var results = new int[texts.Count][];
        if (texts.Count == 0) return results;
        var chunk = Math.Max(1, texts.Count / (8 * Environment.ProcessorCount));
        Parallel.ForEach(Partitioner.Create(0, texts.Count, chunk), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) results[i] = encode(texts[i]);
        });
        return results;
    }

    /// <summary>
    /// The text of <paramref name="ids"/>. Special added tokens are left out when
    /// <paramref name="skipSpecialTokens"/>; ids outside the vocabulary are left out (as Hugging Face does).
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) => DecodeIds(ids, skipSpecialTokens);

    /// <summary>The text of <paramref name="ids"/>, special added tokens left out.</summary>
    public override string Decode(IEnumerable<int> ids) => DecodeIds(ids, skipSpecialTokens: true);

    private string DecodeIds(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (Pipeline.AddedById.TryGetValue(id, out var added))
            {
                if (!(skipSpecialTokens && added.Special)) tokens.Add(added.Content);
            }
            else if (Model.IdToToken(id) is { } token)
            {
                if (!(skipSpecialTokens && Pipeline.AddedByContent.TryGetValue(token, out var t) && t.Special)) tokens.Add(token);
            }
        }
        return Pipeline.Decode(tokens);
    }

    // The library's interface, over the encoder above. With a maximum token count the result is the encoding of
    // the longest prefix of the text (found by bisection) that fits: offsets are not tracked, so this is how the
    // characters consumed are known, and the ids are exactly those of that prefix.
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var span = text is null ? textSpan : text.AsSpan();
        var max = settings.MaxTokenCount;
        if (max <= 0) throw new ArgumentOutOfRangeException(nameof(settings), max, "MaxTokenCount must be positive");
        var ids = Encode(span);
        if (ids.Length <= max) return new EncodeResults<int> { Tokens = ids, CharsConsumed = span.Length };
        int low = 0, high = span.Length;   // Encode(span[..low]) fits; span[..high] does not
        var best = Array.Empty<int>();
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            var prefix = Encode(span[..middle]);
            if (prefix.Length <= max) (low, best) = (middle, prefix);
            else high = middle;
        }
        return new EncodeResults<int> { Tokens = best, CharsConsumed = low };
    }

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var ids = EncodeToIds(text, textSpan, settings);
        var tokens = ids.Tokens.Select(id => new EncodedToken(id, IdToToken(id) ?? "", default)).ToList();
        return new EncodeResults<EncodedToken> { Tokens = tokens, CharsConsumed = ids.CharsConsumed };
    }

    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        EncodeToIds(text, textSpan, settings).Tokens.Count;

    /// <summary>Decodes all of <paramref name="ids"/> into <paramref name="destination"/> or nothing (DestinationTooSmall).</summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var list = ids as IReadOnlyCollection<int> ?? ids.ToList();
        var text = DecodeIds(list, skipSpecialTokens: true);
        if (text.Length > destination.Length)
        {
            idsConsumed = charsWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }
        text.CopyTo(destination);
        idsConsumed = list.Count;
        charsWritten = text.Length;
        return OperationStatus.Done;
    }

    /// <summary>The id of a token (an added token, else a vocabulary token), or null.</summary>
    public int? TokenToId(string token) =>
        Pipeline.AddedByContent.TryGetValue(token, out var added) ? added.Id : Model.TokenToId(token);

    /// <summary>The token with this id (an added token, else a vocabulary token), or null.</summary>
    public string? IdToToken(int id) =>
        Pipeline.AddedById.TryGetValue(id, out var added) ? added.Content : Model.IdToToken(id);

    /// <summary>The canonical tokenizer.json text (serde_json's pretty layout, vocabulary in id order).</summary>
    public string ToJson() => _json.Value;

    /// <summary>Writes tokenizer.json atomically: to a temporary file beside it, then renamed over it.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temp, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads a tokenizer.json (model BPE → <see cref="BpeTokenizer"/>, WordLevel → <see cref="WordLevelTokenizer"/>).</summary>
    /// <exception cref="TokenizerFormatException">The file is malformed or uses an unsupported feature.</exception>
    public static Tokenizer Load(string path) => FromJson(File.ReadAllText(path), path);

    /// <summary>Reads tokenizer.json text; <paramref name="source"/> names it in error messages.</summary>
    public static Tokenizer FromJson(string json, string source = "tokenizer.json") => TokenizerJsonReader.Read(json, source);

    private string BuildJson()
    {
        var json = new TokenizerJsonWriter().StartObject();
        Pipeline.WriteComponents(json);
        json.Key("model");
        Model.Write(json);
        return json.EndObject().ToString();
    }

    private int? FindRole(string[] names)
    {
        foreach (var name in names)
            foreach (var added in Pipeline.AddedTokens)
                if (string.Equals(added.Content, name, StringComparison.OrdinalIgnoreCase)) return added.Id;
        foreach (var name in names)
            if (Model.TokenToId(name) is { } id) return id;
        return null;
    }

    private sealed class EncodingSink(TokenizerModel model, List<int> ids) : PieceSink
    {
        public override void Add(ReadOnlySpan<char> piece) => model.EncodeWord(piece, ids);
    }
}
