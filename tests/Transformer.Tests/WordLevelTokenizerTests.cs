// Word-level tokenizer: vocabulary by frequency with a minimum, unknown words, lowercasing, punctuation,
// special tokens, save/load.
using Transformer.Text;

namespace Transformer.Tests;

public class WordLevelTokenizerTests
{
    private static readonly string[] Corpus =
    [
        "the cat sat on the mat",
        "the dog sat on the log",
        "The cat ran.",
    ];

    // Counts: the 4, sat 2, on 2, cat 2, mat 1, dog 1, log 1, The 1, ran. 1 — ties in ordinal order.
    [Theory]
    [InlineData(1, null, new[] { "the", "cat", "on", "sat", "The", "dog", "log", "mat", "ran." })]
    [InlineData(2, null, new[] { "the", "cat", "on", "sat" })]
    [InlineData(3, null, new[] { "the" })]
    [InlineData(1, 7, new[] { "the", "cat", "on" })]
    public void The_vocabulary_is_special_tokens_then_words_by_frequency_above_the_minimum(int minFrequency, int? vocabSize, string[] words)
    {
        var tokenizer = WordLevelTokenizer.TrainWords(Corpus, new WordLevelTrainerOptions { MinFrequency = minFrequency, VocabSize = vocabSize });
        var expected = new[] { "<pad>", "<bos>", "<eos>", "<unk>" }.Concat(words).Select((w, i) => (w, i));
        Assert.Equal(expected, tokenizer.Vocab.OrderBy(e => e.Value).Select(e => (e.Key, e.Value)));
        Assert.Equal(4 + words.Length, tokenizer.VocabSize);
    }

    [Theory]
    [InlineData("the cat sat", new[] { 4, 5, 7 })]
    [InlineData("the  zebra\tsat\n", new[] { 4, 3, 7 })]
    [InlineData("the<eos>cat <bos>", new[] { 4, 2, 5, 1 })]
    [InlineData("", new int[0])]
    public void Unknown_words_become_unk_and_special_tokens_are_matched_first(string text, int[] ids)
    {
        var tokenizer = WordLevelTokenizer.TrainWords(Corpus, new WordLevelTrainerOptions { MinFrequency = 2 });
        Assert.Equal(ids, tokenizer.Encode(text));
        Assert.Equal(3, tokenizer.UnkId);
    }

    [Fact]
    public void Decoding_joins_words_with_spaces_and_skips_special_tokens_unless_asked()
    {
        var tokenizer = WordLevelTokenizer.TrainWords(Corpus, new WordLevelTrainerOptions { MinFrequency = 2 });
        var ids = tokenizer.Encode("<bos>the zebra sat<eos>");
        Assert.Equal("the sat", tokenizer.Decode(ids));
        Assert.Equal("<bos> the <unk> sat <eos>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void The_lowercase_normalizer_folds_case_in_training_and_encoding_but_not_special_tokens()
    {
        var tokenizer = WordLevelTokenizer.TrainWords(["The THE the <EOS>", "Ünïcode ÜNÏCODE"],
            new WordLevelTrainerOptions { Lowercase = true, SpecialTokens = ["<unk>", "<EOS>"], UnkToken = "<unk>" });
        Assert.Equal(["<unk>", "<EOS>", "the", "ünïcode"], tokenizer.Vocab.OrderBy(e => e.Value).Select(e => e.Key));
        Assert.Equal([2, 3, 1, 0], tokenizer.Encode("tHe ÜnÏcOdE<EOS><eos>"));
        Assert.Equal((0, (int?)null, 1), (tokenizer.UnkId, tokenizer.PadId, tokenizer.EosId));
    }

    [Fact]
    public void Splitting_punctuation_cuts_it_from_words()
    {
        var tokenizer = WordLevelTokenizer.TrainWords(["end. end, (end)"], new WordLevelTrainerOptions { SplitPunctuation = true });
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "end", "(", ")", ",", "."], tokenizer.Vocab.OrderBy(e => e.Value).Select(e => e.Key));
        Assert.Equal("end . end", tokenizer.Decode(tokenizer.Encode("end.end")));
    }

    [Fact]
    public void Save_then_load_gives_the_same_ids_and_identical_json()
    {
        var tokenizer = WordLevelTokenizer.TrainWords(Corpus, new WordLevelTrainerOptions { Lowercase = true, SplitPunctuation = true });
        using var files = new TokenizerTestFiles();
        var path = Path.Combine(files.Folder, "tokenizer.json");
        tokenizer.Save(path);
        var loaded = Assert.IsType<WordLevelTokenizer>(Tokenizer.Load(path));
        Assert.Equal(tokenizer.ToJson(), loaded.ToJson());
        Assert.Equal(tokenizer.Hash, loaded.Hash);
        foreach (var text in Corpus.Append("A dog, a log <eos> and a zebra!"))
            Assert.Equal(tokenizer.Encode(text), loaded.Encode(text));
        Assert.Contains("\"normalizer\": {\n    \"type\": \"Lowercase\"\n  }", loaded.ToJson());
        Assert.Contains("\"pre_tokenizer\": {\n    \"type\": \"Whitespace\"\n  }", loaded.ToJson());
        Assert.Contains("\"unk_token\": \"<unk>\"", loaded.ToJson());
    }

    [Fact]
    public void A_word_level_file_without_an_unk_token_refuses_unknown_words()
    {
        var tokenizer = Tokenizer.FromJson("""
            {"model": {"type": "WordLevel", "vocab": {"a": 0, "b": 1}, "unk_token": null},
             "pre_tokenizer": {"type": "WhitespaceSplit"}}
            """);
        Assert.Equal([0, 1, 0], tokenizer.Encode("a b a"));
        var e = Assert.Throws<UnknownTokenException>(() => tokenizer.Encode("a c"));
        Assert.Contains("\"c\" is not in the vocabulary", e.Message);
    }

    [Theory]
    [InlineData(0, null, "<unk>", "MinFrequency 0 must be at least 1")]
    [InlineData(1, 2, "<unk>", "VocabSize 2 is smaller than the 4 special tokens")]
    [InlineData(1, null, "[UNK]", "UnkToken \"[UNK]\" is not one of the special tokens")]
    public void Invalid_training_options_are_rejected(int minFrequency, int? vocabSize, string unk, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => WordLevelTokenizer.TrainWords(Corpus,
            new WordLevelTrainerOptions { MinFrequency = minFrequency, VocabSize = vocabSize, UnkToken = unk }));
        Assert.StartsWith(message, e.Message);
    }
}
