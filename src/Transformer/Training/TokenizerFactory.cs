// The one switch over tokenizer kinds: from a config's tokenizer section to the framework's TextTokenizer —
// trained here (bpe, char, word), read from tokenizer.json, or built by Microsoft.ML.Tokenizers (tiktoken,
// sentencepiece, wordpiece) — with its special tokens resolved. Bad files and names are one-line errors.
using System.Security.Cryptography;
using Transformer.Configuration;
using Transformer.Text;
using Lib = Microsoft.ML.Tokenizers;

namespace Transformer.Training;

public static class TokenizerFactory
{
    public const string TokenizerJson = "tokenizer.json";

    /// <summary>Trains one of our kinds on <paramref name="texts"/> (tokenizer.kind bpe, char or word).</summary>
    public static TextTokenizer Train(TokenizerConfig t, IReadOnlyList<string> texts)
    {
        Text.Tokenizer own = t.Kind switch
        {
            TokenizerKind.Bpe => BpeTokenizer.Train(texts, new BpeTrainerOptions { VocabSize = t.VocabSize, MinFrequency = t.MinFrequency }),
            TokenizerKind.Word => WordLevelTokenizer.TrainWords(texts, new WordLevelTrainerOptions { MinFrequency = t.MinFrequency, VocabSize = t.VocabSize, Lowercase = t.Lowercase }),
            TokenizerKind.Char => WordLevelTokenizer.TrainCharacters(texts, new CharLevelTrainerOptions { MinFrequency = t.MinFrequency, VocabSize = t.VocabSize }),
            _ => throw new ArgumentException($"a {t.Kind} tokenizer is not trained here", nameof(t)),
        };
        return Own(own, t, $"a trained {Name(t.Kind)} tokenizer", []);
    }

    /// <summary>One of our tokenizers with its own special tokens (a &lt;pad&gt;, &lt;bos&gt; or &lt;eos&gt; it lacks is added).</summary>
    public static TextTokenizer Of(Text.Tokenizer own) => Own(own, new TokenizerConfig(), "the tokenizer", []);

    /// <summary>Builds the tokenizer a config names without training: tokenizer.path (tokenizer.json, .model, vocab.txt),
    /// tokenizer.vocab + merges, or tokenizer.encoding.</summary>
    public static TextTokenizer Load(TokenizerConfig t)
    {
        switch (t.Kind)
        {
            case TokenizerKind.Tiktoken:
                return Tiktoken(t);
            case TokenizerKind.SentencePiece:
                return SentencePiece(t);
            case TokenizerKind.WordPiece:
                return WordPiece(t);
            case TokenizerKind.Bpe when t.Vocab is not null:
                Exists("tokenizer.vocab", t.Vocab, "GPT-2's vocab.json");
                Exists("tokenizer.merges", t.Merges!, "GPT-2's merges.txt");
                return Own(BpeTokenizer.FromGpt2Files(t.Vocab, t.Merges!), t, $"the bpe tokenizer of {t.Vocab}",
                    [new TokenizerFile("vocab.json", t.Vocab), new TokenizerFile("merges.txt", t.Merges!)]);
            default:
                if (t.Path is null) throw new ConfigException("tokenizer.path", null, "an existing tokenizer.json (or data to train one on)");
                Exists("tokenizer.path", t.Path, "an existing tokenizer.json");
                return Own(Text.Tokenizer.Load(t.Path), t, $"the tokenizer of {t.Path}", []);
        }
    }

    /// <summary>The config pointed at the tokenizer files <paramref name="directory"/> keeps (a run's or prepared data's
    /// copies, see <see cref="TextTokenizer.Save"/>), where it has them; unchanged otherwise.</summary>
    public static TokenizerConfig WithFilesIn(TokenizerConfig t, string directory)
    {
        string? Kept(string name) => File.Exists(Path.Combine(directory, name)) ? Path.Combine(directory, name) : null;
        return t.Kind switch
        {
            _ when t.IsTrained => Kept(TokenizerJson) is { } json ? t with { Path = json } : t,
            TokenizerKind.Bpe => Kept("vocab.json") is { } vocab && Kept("merges.txt") is { } merges ? t with { Vocab = vocab, Merges = merges } : t,
            TokenizerKind.SentencePiece => (Kept(SentencePieceFile(t.Path!))) is { } model ? t with { Path = model } : t,
            TokenizerKind.WordPiece => Kept("vocab.txt") is { } vocab ? t with { Path = vocab } : t,
            _ => t,
        };
    }

    private static string Name(TokenizerKind kind) => kind.ToString().ToLowerInvariant();

    private static TextTokenizer Own(Text.Tokenizer own, TokenizerConfig t, string description, IReadOnlyList<TokenizerFile> files)
    {
        string? Token(int? id) => id is { } i ? own.IdToToken(i) : null;
        var s = t.SpecialTokens;
        (string, string?)[] roles =
        [
            ("pad", s.Pad ?? Token(own.PadId) ?? "<pad>"), ("bos", s.Bos ?? Token(own.BosId) ?? "<bos>"),
            ("eos", s.Eos ?? Token(own.EosId) ?? "<eos>"), ("unk", s.Unk ?? Token(own.UnkId)),
            ("sep", s.Sep), ("cls", s.Cls), ("mask", s.Mask),
        ];
        return new TextTokenizer(own, description, own.VocabSize, own.TokenToId, roles, files, own.Hash);
    }

    private static TextTokenizer Tiktoken(TokenizerConfig t)
    {
        var encoding = t.Encoding!;
        // The library names gpt2 and o200k_base by a model that uses them; the rest by encoding.
        var tiktoken = encoding switch
        {
            "gpt2" => Lib.TiktokenTokenizer.CreateForModel("gpt2"),
            "o200k_base" => Lib.TiktokenTokenizer.CreateForModel("gpt-4o"),
            "r50k_base" or "cl100k_base" => Lib.TiktokenTokenizer.CreateForEncoding(encoding),
            _ => throw new ConfigException("tokenizer.encoding", encoding, string.Join(", ", TokenizerConfig.TiktokenEncodings)),
        };
        var size = (tiktoken.SpecialTokens?.Values.Max() ?? throw new InvalidOperationException("tiktoken without special tokens")) + 1;   // tiktoken's n_vocab: its special tokens come last
        int? Id(string token)
        {
            if (tiktoken.SpecialTokens!.TryGetValue(token, out var special)) return special;
            var ids = tiktoken.EncodeToIds(token);
            return ids.Count == 1 && string.Equals(tiktoken.Decode(ids), token, StringComparison.Ordinal) ? ids[0] : null;
        }
        var s = t.SpecialTokens;
        const string endOfText = "<|endoftext|>";
        return new TextTokenizer(tiktoken, $"tiktoken {encoding}", size, Id,
            [("pad", s.Pad ?? "<pad>"), ("bos", s.Bos ?? endOfText), ("eos", s.Eos ?? endOfText), ("unk", s.Unk), ("sep", s.Sep), ("cls", s.Cls), ("mask", s.Mask)],
            [], $"tiktoken {encoding}");
    }

    private static string SentencePieceFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "tokenizer-unigram.json" : "tokenizer.model";

    private static TextTokenizer SentencePiece(TokenizerConfig t)
    {
        var path = t.Path!;
        var json = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        Exists("tokenizer.path", path, json ? "an existing Unigram tokenizer.json" : "an existing SentencePiece .model file");
        Lib.SentencePieceTokenizer sp;
        try
        {
            using var stream = File.OpenRead(path);
            sp = json ? Lib.SentencePieceTokenizer.CreateFromTokenizerJson(stream, false, false)
                : Lib.SentencePieceTokenizer.Create(stream, false, false);   // no BOS/EOS: the data pipeline adds them
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new TokenizerFormatException(path, $"not a {(json ? "Unigram tokenizer.json" : "SentencePiece model")} ({e.Message})", e);
        }
        var size = Math.Max(sp.Vocabulary.Values.DefaultIfEmpty(-1).Max(), sp.SpecialTokens?.Values.DefaultIfEmpty(-1).Max() ?? -1) + 1;
        int? Id(string token) =>
            sp.SpecialTokens?.TryGetValue(token, out var special) == true ? special
            : sp.Vocabulary.TryGetValue(token, out var id) ? id : null;
        var s = t.SpecialTokens;
        return new TextTokenizer(sp, $"the SentencePiece model {path}", size, Id,
            [("pad", s.Pad ?? "<pad>"), ("bos", s.Bos ?? sp.BeginningOfSentenceToken), ("eos", s.Eos ?? sp.EndOfSentenceToken),
             ("unk", s.Unk ?? sp.UnknownToken), ("sep", s.Sep), ("cls", s.Cls), ("mask", s.Mask)],
            [new TokenizerFile(SentencePieceFile(path), path)], "sentencepiece " + FileHash(path));
    }

    private static TextTokenizer WordPiece(TokenizerConfig t)
    {
        var path = t.Path!;
        Exists("tokenizer.path", path, "an existing WordPiece vocab.txt");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++) vocab.TryAdd(lines[i].TrimEnd('\r'), i);
        if (vocab.Count == 0) throw new TokenizerFormatException(path, "an empty vocabulary (expected one token per line)");
        Lib.WordPieceTokenizer wordPiece;
        try
        {
            var options = new Lib.WordPieceOptions
            {
                PreTokenizer = Lib.PreTokenizer.CreateWordOrPunctuation(),
                Normalizer = t.Lowercase ? new Lib.LowerCaseNormalizer() : null,
                UnknownToken = t.SpecialTokens.Unk ?? "[UNK]",
            };
            wordPiece = Lib.WordPieceTokenizer.Create(path, options);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new TokenizerFormatException(path, $"not a WordPiece vocabulary ({e.Message})", e);
        }
        string? Present(string token) => vocab.ContainsKey(token) ? token : null;
        var s = t.SpecialTokens;
        return new TextTokenizer(wordPiece, $"the WordPiece vocabulary {path}", lines.Length, token => vocab.TryGetValue(token, out var id) ? id : null,
            [("pad", s.Pad ?? "[PAD]"), ("bos", s.Bos ?? "[CLS]"), ("eos", s.Eos ?? "[SEP]"), ("unk", s.Unk ?? Present("[UNK]")),
             ("sep", s.Sep ?? Present("[SEP]")), ("cls", s.Cls ?? Present("[CLS]")), ("mask", s.Mask ?? Present("[MASK]"))],
            [new TokenizerFile("vocab.txt", path)], $"wordpiece lowercase={t.Lowercase} " + FileHash(path));
    }

    private static void Exists(string key, string path, string expected)
    {
        if (!File.Exists(path)) throw new ConfigException(key, path, expected);
    }

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
