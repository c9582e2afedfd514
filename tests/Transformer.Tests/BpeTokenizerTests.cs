// Byte-level BPE: training follows the algorithm step by step, GPT-2 files encode to hand-checked ids,
// any Unicode text round-trips, special tokens are matched first, and encoding is deterministic and
// thread-safe.
using System.Text;
using Transformer.Text;

namespace Transformer.Tests;

public class BpeTokenizerTests
{
    // Training corpus (AddPrefixSpace, so every word starts with Ġ): Ġlow ×5, Ġlower ×2, Ġnewest ×6,
    // Ġwidest ×3. Ids: no special tokens, so the byte alphabet in code point order: '!'..'~' are 0..93
    // (d 67, e 68, i 72, l 75, n 77, o 78, r 81, s 82, t 83, w 86), Ġ (U+0120) is 220; merges get 256, 257, ….
    // Ties go to the smallest (left id, right id).
    //  1. es 9 (6+3), st 9, we 8, Ġl/lo/ow 7, …            → tie es (68,82) < st (82,83): "e s" (256)
    //  2. es·t 9 (newest 6 + widest 3)                      → "es t" (257)
    //  3. Ġl 7, lo 7, ow 7 (low 5 + lower 2)                → lo (75,78) smallest: "l o" (258)
    //  4. Ġ·lo 7, lo·w 7                                   → (220,258) < (258,86): "Ġ lo" (259)
    //  5. Ġlo·w 7                                           → "Ġlo w" (260)
    //  6. Ġn, ne, ew, w·est all 6                           → ew (68,86) smallest: "e w" (261)
    //  7. Ġn (220,77), n·ew (77,261), ew·est (261,257) 6    → "n ew" (262)
    //  8. Ġ·new (220,262), new·est (262,257) 6              → "Ġ new" (263)
    //  9. Ġnew·est 6                                        → "Ġnew est" (264)
    // 10. Ġw, wi, id, d·est all 3 (widest)                  → d·est (67,257) smallest: "d est" (265)
    // 11. Ġw (220,86), wi (86,72), i·dest (72,265) 3        → "i dest" (266)
    // 12. Ġw (220,86), w·idest (86,266) 3                   → "w idest" (267)
    // 13. Ġ·widest 3                                        → "Ġ widest" (268)
    // 14. Ġlow·e (260,68) 2, er (68,81) 2                   → "e r" (269)
    // 15. Ġlow·er 2                                         → "Ġlow er" (270); no pairs are left.
    private const string Corpus = "low low low low low lower lower newest newest newest newest newest newest widest widest widest";

    private static readonly (string, string)[] ExpectedMerges =
    [
        ("e", "s"), ("es", "t"), ("l", "o"), ("Ġ", "lo"), ("Ġlo", "w"), ("e", "w"), ("n", "ew"), ("Ġ", "new"),
        ("Ġnew", "est"), ("d", "est"), ("i", "dest"), ("w", "idest"), ("Ġ", "widest"), ("e", "r"), ("Ġlow", "er"),
    ];

    [Theory]
    [InlineData(1000, 1, 15)]   // runs out of pairs
    [InlineData(1000, 2, 15)]
    [InlineData(1000, 3, 13)]   // step 14's best pair occurs twice
    [InlineData(1000, 7, 5)]
    [InlineData(260, 1, 4)]     // 256 byte tokens + 4 merges
    public void Training_on_a_tiny_corpus_produces_exactly_the_merges_the_algorithm_dictates(int vocabSize, int minFrequency, int merges)
    {
        var tokenizer = BpeTokenizer.Train([Corpus],
            new BpeTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency, SpecialTokens = [], AddPrefixSpace = true });
        Assert.Equal(ExpectedMerges.Take(merges), tokenizer.Merges);
        Assert.Equal(256 + merges, tokenizer.VocabSize);
        Assert.Equal(220, tokenizer.TokenToId("Ġ"));
        Assert.Equal(256, tokenizer.TokenToId("es"));
        Assert.Equal(255 + merges, tokenizer.TokenToId(ExpectedMerges[merges - 1].Item1 + ExpectedMerges[merges - 1].Item2));
    }

    [Fact]
    public void Special_tokens_take_the_lowest_ids_and_do_not_change_the_merges()
    {
        var tokenizer = BpeTokenizer.Train([Corpus + " <eos>"], new BpeTrainerOptions { VocabSize = 1000, MinFrequency = 2, AddPrefixSpace = true });
        Assert.Equal(ExpectedMerges, tokenizer.Merges);
        Assert.Equal([0, 1, 2, 3], new[] { "<pad>", "<bos>", "<eos>", "<unk>" }.Select(t => tokenizer.TokenToId(t)!.Value));
        Assert.Equal((0, 1, 2, 3), (tokenizer.PadId, tokenizer.BosId, tokenizer.EosId, tokenizer.UnkId));
        Assert.Equal(4 + 256 + 15, tokenizer.VocabSize);
        Assert.Equal([tokenizer.TokenToId("Ġlow")!.Value, 2, tokenizer.TokenToId("Ġnewest")!.Value], tokenizer.Encode("low<eos> newest"));
        Assert.Equal([tokenizer.TokenToId("Ġwidest")!.Value, 2, 2], tokenizer.Encode("widest<eos><eos>"));
    }

    [Fact]
    public void Training_from_files_reads_lines_with_their_endings()
    {
        using var files = new TokenizerTestFiles();
        var a = files.Write("a.txt", "low lower\r\nnewest\n\nwidest");
        var b = files.Write("b.txt", "newest <eos> low\n");
        var options = new BpeTrainerOptions { VocabSize = 300, MinFrequency = 1 };
        var fromFiles = BpeTokenizer.TrainFromFiles([a, b], options);
        var fromLines = BpeTokenizer.Train(["low lower\r\n", "newest\n", "\n", "widest", "newest <eos> low\n"], options);
        Assert.Equal(fromLines.ToJson(), fromFiles.ToJson());
        Assert.Contains(("č", "Ċ"), fromFiles.Merges);   // "\r\n" kept: its two bytes were merged
    }

    [Theory]
    [InlineData(259, 2, "VocabSize 259 is smaller than the 256 byte tokens plus 4 special tokens")]
    [InlineData(1000, 0, "MinFrequency 0 must be at least 1")]
    public void Invalid_training_options_are_rejected(int vocabSize, int minFrequency, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => BpeTokenizer.Train([Corpus], new BpeTrainerOptions { VocabSize = vocabSize, MinFrequency = minFrequency }));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("the cat's hat", new[] { 9, 12, 13, 14, 10 })]      // Ġhat: "a t" (rank 1) before "Ġ h" (rank 6); no "Ġh at"
    [InlineData("the", new[] { 9 })]
    [InlineData("the<|endoftext|>the", new[] { 9, 15, 9 })]
    [InlineData("cat", new[] { 4, 10 })]                            // no Ġ: "c at"
    [InlineData(" cat's", new[] { 12, 13 })]
    public void A_hand_written_gpt2_vocab_and_merges_encode_to_hand_checked_ids(string text, int[] ids)
    {
        using var files = new TokenizerTestFiles();
        foreach (var header in new[] { true, false })
        {
            var (vocab, merges) = files.WriteTinyGpt2(header);
            var tokenizer = BpeTokenizer.FromGpt2Files(vocab, merges);
            Assert.Equal(ids, tokenizer.Encode(text));
            Assert.Equal(text.Replace("<|endoftext|>", ""), tokenizer.Decode(ids));
            Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
            Assert.Equal((16, 15, 15, (int?)null), (tokenizer.VocabSize, tokenizer.EosId, tokenizer.BosId, tokenizer.UnkId));
        }
    }

    [Theory]
    [InlineData("t h\nth\n", 3, "expected two tokens separated by a space")]
    [InlineData("t h\na  t\n", 3, "expected two tokens separated by a space")]
    [InlineData("t h\nx y\n", 3, "unknown token \"x\"")]
    [InlineData("t h\nt h\n", 3, "duplicate merge \"t\" \"h\"")]
    [InlineData("t a\n", 2, "the merged token \"ta\" is not in the vocabulary")]
    public void Malformed_merges_files_name_the_file_and_line(string merges, int line, string problem)
    {
        using var files = new TokenizerTestFiles();
        var vocab = files.Write("vocab.json", TokenizerTestFiles.TinyVocabJson);
        var path = files.Write("merges.txt", "#version: 0.2\n" + merges);
        var e = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.FromGpt2Files(vocab, path));
        Assert.Equal($"{path}:{line}: {problem}", e.Message);
    }

    [Theory]
    [InlineData("{\"a\": 0,", "vocab.json:1:8: invalid JSON: Expected start of a property name or value")]
    [InlineData("{\"a\": 0, \"b\": 0}", "vocab.json: $.b: duplicate id 0 (also \"a\")")]
    [InlineData("{\"a\": \"x\"}", "vocab.json: $.a: expected an integer, found the string \"x\"")]
    [InlineData("[1, 2]", "vocab.json: $: expected an object, found an array")]
    public void Malformed_vocab_json_files_name_the_file_and_problem(string json, string message)
    {
        using var files = new TokenizerTestFiles();
        var vocab = files.Write("vocab.json", json);
        var merges = files.Write("merges.txt", "");
        var e = Assert.Throws<TokenizerFormatException>(() => BpeTokenizer.FromGpt2Files(vocab, merges));
        Assert.StartsWith(Path.Combine(files.Folder, message), e.Message);
    }

    [Fact]
    public void Any_valid_unicode_round_trips_exactly()
    {
        var tokenizer = TrainedOnMixedText();
        var random = new Random(20240611);
        for (var i = 0; i < 1500; i++)
        {
            var text = RandomText(random);
            var ids = tokenizer.Encode(text);
            Assert.True(ids.All(id => id >= 0 && id < tokenizer.VocabSize));
            Assert.Equal(text, tokenizer.Decode(ids, skipSpecialTokens: false));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\n\n")]
    [InlineData("你好，世界！这是一个测试。")]
    [InlineData("😀👍🏽👨‍👩‍👧‍👦🇯🇵")]
    [InlineData("e\u0301 \u0000 \uFFFF \U0010FFFF 𝐀𝐁 \u3000\u00A0\t\r\n")]
    public void Chinese_emoji_and_control_text_round_trip(string text)
    {
        var tokenizer = TrainedOnMixedText();
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Unpaired_surrogates_decode_as_the_replacement_character()
    {
        var tokenizer = TrainedOnMixedText();
        Assert.Equal("a\uFFFDb", tokenizer.Decode(tokenizer.Encode("a\uD800b")));
    }

    [Fact]
    public void Encoding_from_many_threads_equals_sequential_encoding()
    {
        var trained = TrainedOnMixedText();
        var random = new Random(7);
        var texts = Enumerable.Range(0, 400).Select(_ => RandomText(random)).ToArray();
        var uncached = new BpeTokenizer(trained.Pipeline, new BpeModel(new(trained.Vocab), trained.Merges, new BpeOptions { CacheCapacity = 0 }));
        var expected = texts.Select(t => uncached.Encode(t)).ToArray();

        // A tiny cache is emptied again and again while the threads read and fill it.
        var shared = new BpeTokenizer(trained.Pipeline, new BpeModel(new(trained.Vocab), trained.Merges, new BpeOptions { CacheCapacity = 50 }));
        var results = new int[8][][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            t => results[t] = Enumerable.Range(0, texts.Length).Select(i => shared.Encode(texts[(i + 37 * t) % texts.Length])).ToArray());
        for (var t = 0; t < 8; t++)
            for (var i = 0; i < texts.Length; i++) Assert.Equal(expected[(i + 37 * t) % texts.Length], results[t][i]);
        Assert.Equal(expected, shared.EncodeBatch(texts));
    }

    [Fact]
    public void Long_words_merged_with_a_heap_equal_merging_by_scanning()
    {
        var trained = TrainedOnMixedText();
        var scan = new BpeModel(new(trained.Vocab), trained.Merges, new BpeOptions { CacheCapacity = 0 }) { HeapThreshold = int.MaxValue };
        var heap = new BpeModel(new(trained.Vocab), trained.Merges, new BpeOptions { CacheCapacity = 0 }) { HeapThreshold = 0 };
        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var word = BpeTrainer.ByteLevel(string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => Words[random.Next(Words.Length)])));
            List<int> a = [], b = [];
            scan.EncodeWord(word, a);
            heap.EncodeWord(word, b);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Training_is_deterministic_and_save_then_load_gives_the_same_ids_and_identical_json()
    {
        var a = TrainedOnMixedText();
        var b = TrainedOnMixedText();
        Assert.Equal(a.ToJson(), b.ToJson());
        Assert.Equal(a.Hash, b.Hash);
        Assert.Matches("^[0-9a-f]{64}$", a.Hash);

        using var files = new TokenizerTestFiles();
        var path = Path.Combine(files.Folder, "sub", "tokenizer.json");
        a.Save(path);
        var loaded = Assert.IsType<BpeTokenizer>(Tokenizer.Load(path));
        Assert.Equal(a.ToJson(), loaded.ToJson());
        Assert.Equal(a.ToJson(), File.ReadAllText(path));
        Assert.Equal(a.Hash, loaded.Hash);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));   // no temporary file left behind
        var random = new Random(11);
        for (var i = 0; i < 200; i++)
        {
            var text = RandomText(random);
            Assert.Equal(a.Encode(text), loaded.Encode(text));
        }
        var other = BpeTokenizer.Train(MixedText, new BpeTrainerOptions { VocabSize = 400, MinFrequency = 2 });
        Assert.NotEqual(a.Hash, other.Hash);
    }

    [Fact]
    public void Encode_into_a_list_appends_and_matches_encode()
    {
        var tokenizer = TrainedOnMixedText();
        var ids = new List<int> { -1 };
        tokenizer.Encode("hello world".AsSpan(), ids);
        Assert.Equal(new[] { -1 }.Concat(tokenizer.Encode("hello world")), ids);
    }

    private static readonly string[] Words =
        ["the", " quick", " brown", " fox", " jumps", " over", " lazy", " dog", "'s", " 123", "\n", " 你好", "世界", " 😀", "!", " émigré"];

    private static readonly string[] MixedText = Enumerable.Range(0, 200)
        .Select(i => string.Concat(Enumerable.Range(0, 12).Select(k => Words[(i * 7 + k * k) % Words.Length]))).ToArray();

    private static BpeTokenizer TrainedOnMixedText() =>
        BpeTokenizer.Train(MixedText, new BpeTrainerOptions { VocabSize = 300, MinFrequency = 2 });

    // Words, special tokens, whitespace runs and random code points from the BMP, the supplementary
    // multilingual and ideographic planes and the private-use planes (never a lone surrogate).
    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (int k = 0, parts = random.Next(0, 12); k < parts; k++)
        {
            switch (random.Next(6))
            {
                case 0: text.Append(Words[random.Next(Words.Length)]); break;
                case 1: text.Append(new[] { "<eos>", "<pad>", " ", "  ", "\t", "\r\n", "\u3000" }[random.Next(7)]); break;
                default:
                    int[] starts = [0x20, 0xA0, 0x300, 0x4E00, 0xAC00, 0xE000, 0xFFF0, 0x10000, 0x1F300, 0x20000, 0xF0000, 0x10FF00];
                    var start = starts[random.Next(starts.Length)];
                    for (int c = 0, n = random.Next(1, 6); c < n; c++)
                    {
                        var cp = Math.Min(0x10FFFF, start + random.Next(0x100));
                        if (cp is >= 0xD800 and < 0xE000) cp = 0x41;
                        text.Append(char.ConvertFromUtf32(cp));
                    }
                    break;
            }
        }
        return text.ToString();
    }
}
