// The one switch over tokenizer kinds: tiktoken ids are the library's, GPT-2 files give the library BPE's ids,
// WordPiece reads vocab.txt with BERT's roles, special tokens a vocabulary lacks are added after it, and bad
// names or files are one-line errors naming the key or file.
using Lib = Microsoft.ML.Tokenizers;
using Transformer.Configuration;
using Transformer.Text;
using Transformer.Training;

namespace Transformer.Tests;

public class TokenizerFactoryTests
{
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Ünïcödé café, 中文, русский; emoji 😀🎉 and 12345 digits\n\ttabs  and  spaces ",
        "it's <|endoftext|> they're",
    ];

    [Theory]
    [InlineData("gpt2", 50257)]
    [InlineData("r50k_base", 50257)]
    [InlineData("cl100k_base", 100277)]
    [InlineData("o200k_base", 200019)]
    public void Tiktoken_gives_the_library_ids_and_adds_a_pad_token_after_its_vocabulary(string encoding, int size)
    {
        var tokenizer = TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.Tiktoken, Encoding = encoding });
        var library = encoding switch
        {
            "gpt2" => Lib.TiktokenTokenizer.CreateForModel("gpt2"),
            "o200k_base" => Lib.TiktokenTokenizer.CreateForModel("gpt-4o"),
            _ => Lib.TiktokenTokenizer.CreateForEncoding(encoding),
        };
        foreach (var text in Texts)
        {
            Assert.Equal(library.EncodeToIds(text), tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text), skipSpecialTokens: false));
        }
        var endOfText = library.SpecialTokens!["<|endoftext|>"];
        Assert.Equal((endOfText, endOfText, size, size + 1), (tokenizer.BosId, tokenizer.EosId, tokenizer.PadId, tokenizer.VocabSize));
        Assert.Equal("<pad>", tokenizer.AddedSpecialTokens[size]);
        Assert.Contains(tokenizer.Notes, n => n.Contains("<pad> (pad)", StringComparison.Ordinal) && n.Contains($"id {size}", StringComparison.Ordinal));
        Assert.Equal("hello", tokenizer.Decode([.. tokenizer.Encode("hello"), size, endOfText]));
    }

    [Theory]
    [InlineData("gpt3")]
    [InlineData(null)]
    public void An_unknown_tiktoken_encoding_is_a_config_error_listing_the_encodings(string? encoding)
    {
        var e = Assert.Throws<ConfigException>(() => new TokenizerConfig { Kind = TokenizerKind.Tiktoken, Encoding = encoding }.Validate());
        Assert.StartsWith("tokenizer.encoding:", e.Message);
        Assert.Contains("gpt2, r50k_base, cl100k_base, o200k_base", e.Message);
    }

    [Fact]
    public void A_missing_or_malformed_sentencepiece_model_is_a_one_line_error_naming_the_file()
    {
        using var files = new TokenizerTestFiles();
        var missing = Path.Combine(files.Folder, "missing.model");
        var e = Assert.Throws<ConfigException>(() => TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.SentencePiece, Path = missing }));
        Assert.Equal($"tokenizer.path: '{missing}' — expected an existing SentencePiece .model file", e.Message);
        var garbage = files.Write("garbage.model", "not a protobuf at all \u0001\u0002");
        var format = Assert.Throws<TokenizerFormatException>(() => TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.SentencePiece, Path = garbage }));
        Assert.StartsWith($"{garbage}: not a SentencePiece model", format.Message);
        Assert.DoesNotContain('\n', format.Message);
        Assert.Throws<ConfigException>(() => new TokenizerConfig { Kind = TokenizerKind.SentencePiece }.Validate());
    }

    [Theory]
    [InlineData(1)]   // Unigram
    [InlineData(2)]   // BPE
    public void Sentencepiece_reads_a_model_file_with_its_roles_and_a_run_keeps_a_copy(int modelType)
    {
        using var files = new TokenizerTestFiles();
        var path = Path.Combine(files.Folder, "tiny.model");
        File.WriteAllBytes(path, SentencePieceModelFile.Create(modelType,
            ("▁", -1), ("h", -2), ("e", -2), ("l", -2), ("o", -2), ("▁h", -1.5f), ("ll", -1.5f), ("▁he", -1), ("llo", -1), ("▁hello", -0.5f)));
        var config = new TokenizerConfig { Kind = TokenizerKind.SentencePiece, Path = path };
        var tokenizer = TokenizerFactory.Load(config);
        using (var stream = File.OpenRead(path))
        {
            var library = Lib.SentencePieceTokenizer.Create(stream, false, false);
            Assert.Equal(library.EncodeToIds("hello hell"), tokenizer.Encode("hello hell"));
        }
        Assert.Equal([12], tokenizer.Encode("hello"));
        Assert.Equal("hello hell", tokenizer.Decode(tokenizer.Encode("hello hell")));
        Assert.Equal((1, 2, 0, 13, 14), (tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId, tokenizer.PadId, tokenizer.VocabSize));

        var run = Directory.CreateDirectory(Path.Combine(files.Folder, "run")).FullName;
        tokenizer.Save(run);
        var kept = TokenizerFactory.WithFilesIn(config, run);
        Assert.Equal(Path.Combine(run, "tokenizer.model"), kept.Path);
        Assert.Equal(tokenizer.Hash, TokenizerFactory.Load(kept).Hash);
    }

    [Fact]
    public void Sentencepiece_reads_a_unigram_tokenizer_json()
    {
        using var files = new TokenizerTestFiles();
        var path = files.Write("unigram.json", """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                              {"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                              {"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null,
             "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
             "post_processor": null,
             "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
             "model": {"type": "Unigram", "unk_id": 0, "byte_fallback": false,
                       "vocab": [["<unk>", 0.0], ["<s>", 0.0], ["</s>", 0.0], ["▁", -1.0], ["h", -2.0], ["e", -2.0], ["l", -2.0], ["o", -2.0],
                                 ["▁he", -1.0], ["llo", -1.0], ["▁hello", -0.5]]}}
            """);
        var tokenizer = TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.SentencePiece, Path = path });
        Assert.Equal([10], tokenizer.Encode("hello"));
        Assert.Equal("hello", tokenizer.Decode(tokenizer.Encode("hello")));
        Assert.Equal((1, 2, 0, 11), (tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId, tokenizer.PadId));
    }

    [Fact]
    public void Wordpiece_reads_vocab_txt_with_berts_special_tokens()
    {
        using var files = new TokenizerTestFiles();
        var vocab = files.Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\ncat\nsat\n##s\non\n.\n");
        var tokenizer = TokenizerFactory.Load(new TokenizerConfig { Kind = TokenizerKind.WordPiece, Path = vocab, Lowercase = true });
        Assert.Equal([5, 6, 8, 7, 9, 5, 1, 10], tokenizer.Encode("The cats sat on the mat."));
        Assert.Equal((0, 2, 3, 1, 3, 2, 4), (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId, tokenizer.SepId, tokenizer.ClsId, tokenizer.MaskId));
        Assert.Equal(11, tokenizer.VocabSize);
        Assert.Empty(tokenizer.AddedSpecialTokens);
    }

    [Fact]
    public void Bpe_from_gpt2_files_gives_the_library_ids_and_a_run_keeps_copies_that_rebuild_it()
    {
        using var files = new TokenizerTestFiles();
        var trained = BpeTokenizer.Train(Enumerable.Repeat(string.Concat(Texts), 10), new BpeTrainerOptions { VocabSize = 320, MinFrequency = 1, MaxDegreeOfParallelism = 1 });
        var vocab = Path.Combine(files.Folder, "v.json");
        var merges = Path.Combine(files.Folder, "m.txt");
        trained.SaveGpt2Files(vocab, merges);
        var config = new TokenizerConfig { Vocab = vocab, Merges = merges };
        var tokenizer = TokenizerFactory.Load(config);
        var library = LibraryTokenizerInteropTests.LibraryByteLevelBpe(vocab, merges);
        foreach (var text in Texts.Take(2)) Assert.Equal(library.EncodeToIds(text), tokenizer.Encode(text));

        var run = Directory.CreateDirectory(Path.Combine(files.Folder, "run")).FullName;
        tokenizer.Save(run);
        var again = TokenizerFactory.Load(TokenizerFactory.WithFilesIn(config, run));
        Assert.Equal(Path.Combine(run, "vocab.json"), TokenizerFactory.WithFilesIn(config, run).Vocab);
        Assert.Equal(tokenizer.Hash, again.Hash);
    }

    [Fact]
    public void A_declared_special_token_missing_from_the_vocabulary_gets_the_next_id_and_changes_the_hash()
    {
        var texts = new[] { "a small corpus of words", "more words" };
        var plain = TokenizerFactory.Train(new TokenizerConfig { Kind = TokenizerKind.Word, MinFrequency = 1 }, texts);
        var masked = TokenizerFactory.Train(new TokenizerConfig
        {
            Kind = TokenizerKind.Word, MinFrequency = 1, SpecialTokens = new SpecialTokensConfig { Mask = "<mask>", Sep = "words" },
        }, texts);
        Assert.Equal(plain.VocabSize + 1, masked.VocabSize);
        Assert.Equal(plain.VocabSize, masked.MaskId);
        Assert.Equal(masked.Encode("words")[0], masked.SepId);
        Assert.Equal((0, 1, 2, 3), (plain.PadId, plain.BosId, plain.EosId, plain.UnkId));
        Assert.NotEqual(plain.Hash, masked.Hash);
        Assert.Equal(((Text.Tokenizer)plain.Tokenizer).Hash, plain.Hash);   // unchanged roles: tokenizer.json's hash, as before
        Assert.Equal("<mask>", masked.Decode([masked.MaskId!.Value], skipSpecialTokens: false));
    }

    [Fact]
    public void Options_of_another_kind_are_config_errors()
    {
        Assert.Throws<ConfigException>(() => new TokenizerConfig { Kind = TokenizerKind.Word, Encoding = "gpt2" }.Validate());
        Assert.Throws<ConfigException>(() => new TokenizerConfig { Vocab = "v.json" }.Validate());
        Assert.Throws<ConfigException>(() => new TokenizerConfig { Kind = TokenizerKind.WordPiece }.Validate());
        Assert.Throws<ConfigException>(() => new TokenizerConfig { SpecialTokens = new SpecialTokensConfig { Pad = "" } }.Validate());
    }
}
