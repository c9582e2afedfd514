// Character-level tokenizer: one token per code point (emoji outside the BMP included), unknown → <unk>,
// exact round trip, saved as a WordLevel model with a Split("") pre-tokenizer and a Fuse decoder.
using Transformer.Text;

namespace Transformer.Tests;

public class CharLevelTokenizerTests
{
    private static readonly string[] Corpus = ["hello world\n", "héllo 😀 wörld\n", "<eos>"];

    // Counts: l 6; " " 3, o 3; "\n" 2, d 2, h 2, r 2, w 2; e, é, ö, 😀 1 — most frequent first, ties in ordinal order.
    [Fact]
    public void The_vocabulary_is_special_tokens_then_code_points_by_frequency()
    {
        var tokenizer = WordLevelTokenizer.TrainCharacters(Corpus);
        Assert.Equal(
            ["<pad>", "<bos>", "<eos>", "<unk>", "l", " ", "o", "\n", "d", "h", "r", "w", "e", "é", "ö", "😀"],
            tokenizer.Vocab.OrderBy(e => e.Value).Select(e => e.Key));
    }

    [Theory]
    [InlineData("hello", new[] { 9, 12, 4, 4, 6 })]
    [InlineData("😀!", new[] { 15, 3 })]                 // the emoji is one token; '!' is unknown
    [InlineData("ll<eos>", new[] { 4, 4, 2 })]
    public void Each_code_point_is_one_token_and_unknown_ones_become_unk(string text, int[] ids)
    {
        var tokenizer = WordLevelTokenizer.TrainCharacters(Corpus);
        Assert.Equal(ids, tokenizer.Encode(text));
    }

    [Theory]
    [InlineData("hello world\n")]
    [InlineData("  wörld 😀😀\n\n")]
    [InlineData("")]
    public void Known_text_round_trips_exactly(string text)
    {
        var tokenizer = WordLevelTokenizer.TrainCharacters(Corpus);
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Min_frequency_and_vocab_size_limit_the_characters()
    {
        var rare = WordLevelTokenizer.TrainCharacters(Corpus, new CharLevelTrainerOptions { MinFrequency = 3 });
        Assert.Equal(["<pad>", "<bos>", "<eos>", "<unk>", "l", " ", "o"], rare.Vocab.OrderBy(e => e.Value).Select(e => e.Key));
        // Without <eos> among the special tokens, its characters are counted: o 4 now comes before " " 3.
        var small = WordLevelTokenizer.TrainCharacters(Corpus, new CharLevelTrainerOptions { VocabSize = 5, SpecialTokens = ["<unk>"] });
        Assert.Equal(["<unk>", "l", "o", " ", "\n"], small.Vocab.OrderBy(e => e.Value).Select(e => e.Key));
        Assert.Equal("l<unk>o", small.Decode(small.Encode("lxo"), skipSpecialTokens: false));
    }

    [Fact]
    public void It_is_saved_as_a_word_level_model_with_a_per_character_split_and_loads_back_identical()
    {
        var tokenizer = WordLevelTokenizer.TrainCharacters(Corpus);
        var json = tokenizer.ToJson();
        Assert.Contains("""
              "pre_tokenizer": {
                "type": "Split",
                "pattern": {
                  "String": ""
                },
                "behavior": "Isolated",
                "invert": false
              },
            """.ReplaceLineEndings("\n"), json);
        Assert.Contains("\"decoder\": {\n    \"type\": \"Fuse\"\n  }", json);
        Assert.Contains("\"type\": \"WordLevel\"", json);

        using var files = new TokenizerTestFiles();
        var path = Path.Combine(files.Folder, "chars.json");
        tokenizer.Save(path);
        var loaded = Assert.IsType<WordLevelTokenizer>(Tokenizer.Load(path));
        Assert.Equal(json, loaded.ToJson());
        foreach (var text in new[] { "hello 😀 wörld!", "<pad>x<eos>" })
        {
            Assert.Equal(tokenizer.Encode(text), loaded.Encode(text));
            Assert.Equal(tokenizer.Decode(tokenizer.Encode(text)), loaded.Decode(loaded.Encode(text)));
        }
    }
}
