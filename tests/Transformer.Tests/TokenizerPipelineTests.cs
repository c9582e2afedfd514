// The pipeline around the models: normalizers (Lowercase, NFC/NFD/NFKC/NFKD, Sequence), pre-tokenizers
// (GPT-2's regex, Whitespace, WhitespaceSplit, Split with every behavior), added-token options.
using System.Text.Json;
using Transformer.Text;

namespace Transformer.Tests;

public class TokenizerPipelineTests
{
    // Expected values from Python's unicodedata.normalize (Unicode 14).
    [Theory]
    [InlineData("NFKC", "ﬁ Ａ① ½ x²", "fi A1 1⁄2 x2")]
    [InlineData("NFKC", "ｶﾞ", "ガ")]
    [InlineData("NFKC", "\u1E9B\u0323", "\u1E69")]
    [InlineData("NFC", "e\u0301", "é")]
    [InlineData("NFC", "a\u0302\u0323", "\u1EAD")]                 // marks reordered by combining class, then composed
    [InlineData("NFC", "\u1100\u1161\u11A8", "각")]                 // Hangul jamo compose algorithmically
    [InlineData("NFC", "\u212B", "\u00C5")]                        // a singleton decomposition never recomposes
    [InlineData("NFC", "\U0001D15E", "\U0001D157\U0001D165")]      // a composition exclusion outside the BMP
    [InlineData("NFC", "\u1E9B\u0323", "\u1E9B\u0323")]
    [InlineData("NFD", "각é", "\u1100\u1161\u11A8e\u0301")]
    [InlineData("NFKD", "ﬁ", "fi")]
    [InlineData("NFC", "plain ASCII stays", "plain ASCII stays")]
    public void Unicode_normalization_forms_match_the_unicode_standard(string form, string text, string expected)
    {
        Assert.Equal(expected, new UnicodeFormNormalizer(form).Normalize(text));
    }

    [Theory]
    [InlineData("ÅNGSTRÖM ΣΑΣ", "ångström σασ")]   // per code point: no final-sigma rule
    [InlineData("İstanbul", "i\u0307stanbul")]      // U+0130 lowercases to two code points
    [InlineData("𐐀BC", "𐐨bc")]                     // outside the BMP too
    public void Lowercase_maps_each_code_point_like_rust(string text, string expected)
    {
        Assert.Equal(expected, new LowercaseNormalizer().Normalize(text));
    }

    [Fact]
    public void A_normalizer_sequence_from_tokenizer_json_applies_in_order_and_normalized_added_tokens_match_after_it()
    {
        var tokenizer = Tokenizer.FromJson("""
            {"added_tokens": [{"id": 3, "content": "[MASK]", "special": false, "normalized": true},
                              {"id": 4, "content": "[CLS]", "special": true, "normalized": false}],
             "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
             "pre_tokenizer": {"type": "WhitespaceSplit"},
             "model": {"type": "WordLevel", "vocab": {"hello": 0, "fi": 1, "<unk>": 2}, "unk_token": "<unk>"}}
            """);
        Assert.Equal([0, 1, 3, 4, 2], tokenizer.Encode("ＨＥＬＬＯ ﬁ[MASK][CLS][cls]"));
        Assert.Equal("hello fi [MASK]", tokenizer.Decode([0, 1, 3, 4]));
        Assert.Equal(5, tokenizer.VocabSize);
    }

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("it's I'll we've they're I'm he'd don't", new[] { "it", "'s", " I", "'ll", " we", "'ve", " they", "'re", " I", "'m", " he", "'d", " don", "'t" })]
    [InlineData("  two  spaces", new[] { " ", " two", " ", " spaces" })]
    [InlineData("line\n\nnext", new[] { "line", "\n", "\n", "next" })]
    [InlineData(" \tindent", new[] { " ", "\t", "indent" })]
    [InlineData("price: $42.50!!", new[] { "price", ":", " $", "42", ".", "50", "!!" })]
    [InlineData("end   ", new[] { "end", "   " })]
    [InlineData("x''s a 'quote'", new[] { "x", "''", "s", " a", " '", "quote", "'" })]
    [InlineData("日本語 テキスト", new[] { "日本語", " テキスト" })]
    [InlineData("😀😀 ok", new[] { "😀😀", " ok" })]
    [InlineData("𝐀𝐁c ①②", new[] { "𝐀𝐁c", " ①②" })]             // letters and numbers outside the BMP / not decimal
    [InlineData("a\u3000b", new[] { "a", "\u3000", "b" })]
    public void Gpt2_pre_tokenization_cuts_text_like_its_regex(string text, string[] pieces)
    {
        var result = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var end = Gpt2Pattern.PieceEnd(text, i);
            result.Add(text[i..end]);
            i = end;
        }
        Assert.Equal(pieces, result);
    }

    // Hugging Face's documented example for SplitDelimiterBehavior, pattern "-".
    [Theory]
    [InlineData("Removed", false, new[] { "the", "final", "countdown" })]
    [InlineData("Isolated", false, new[] { "the", "-", "final", "-", "-", "countdown" })]
    [InlineData("MergedWithPrevious", false, new[] { "the-", "final-", "-", "countdown" })]
    [InlineData("MergedWithNext", false, new[] { "the", "-final", "-", "-countdown" })]
    [InlineData("Contiguous", false, new[] { "the", "-", "final", "--", "countdown" })]
    [InlineData("Removed", true, new[] { "-", "-", "-" })]
    public void Split_keeps_or_drops_the_delimiters_as_its_behavior_says(string behavior, bool invert, string[] pieces)
    {
        foreach (var regex in new[] { false, true })
            Assert.Equal(pieces, Pieces(new SplitPreTokenizer("-", regex, behavior, invert), "the-final--countdown"));
    }

    [Theory]
    [InlineData("WhitespaceSplit", "Hello, world!  it's\tok", new[] { "Hello,", "world!", "it's", "ok" })]
    [InlineData("Whitespace", "Hello, world!  it's\tok", new[] { "Hello", ",", "world", "!", "it", "'", "s", "ok" })]
    [InlineData("Whitespace", "naïve_café €5", new[] { "naïve_café", "€", "5" })]
    public void Whitespace_pre_tokenizers_cut_at_whitespace_and_punctuation(string type, string text, string[] pieces)
    {
        using var document = JsonDocument.Parse($"{{\"type\": \"{type}\"}}");
        Assert.Equal(pieces, Pieces(PreTokenizer.Read(new TokenizerJsonNode(document.RootElement, "t.json", "$"))!, text));
    }

    [Fact]
    public void A_pre_tokenizer_sequence_cuts_each_piece_again()
    {
        var sequence = new SequencePreTokenizer([new WhitespaceSplitPreTokenizer(), new SplitPreTokenizer("-", false, "Isolated", false)]);
        Assert.Equal(["a", "-", "b", "c", "-"], Pieces(sequence, "a-b c-"));
    }

    [Theory]
    [InlineData(false, false, false, "x <t> y<t>z", new[] { 0, 7, 9, 7, 1, 9, 2 })]
    [InlineData(true, false, false, "x <t> y<t>z", new[] { 0, 7, 9, 7, 6 })]      // single_word: not inside "y<t>z"
    [InlineData(false, true, false, "x <t> y", new[] { 0, 9, 7, 1 })]             // lstrip swallows the space before
    [InlineData(false, false, true, "x <t> y", new[] { 0, 7, 9, 1 })]             // rstrip the one after
    public void Added_token_options_decide_where_a_token_matches(bool singleWord, bool lstrip, bool rstrip, string text, int[] ids)
    {
        var tokenizer = Tokenizer.FromJson($$$"""
            {"added_tokens": [{"id": 9, "content": "<t>", "special": true, "normalized": false,
                               "single_word": {{{Json(singleWord)}}}, "lstrip": {{{Json(lstrip)}}}, "rstrip": {{{Json(rstrip)}}}}],
             "pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Isolated", "invert": false},
             "model": {"type": "WordLevel", "vocab": {"x": 0, "y": 1, "z": 2, " ": 7, "<t>": 9, "<unk>": 6}, "unk_token": "<unk>"}}
            """);
        Assert.Equal(ids, tokenizer.Encode(text));
    }

    private static string Json(bool value) => value ? "true" : "false";

    private static List<string> Pieces(PreTokenizer preTokenizer, string text)
    {
        var sink = new ListSink();
        preTokenizer.PreTokenize(text, sink);
        return sink.Pieces;
    }

    private sealed class ListSink : PieceSink
    {
        public List<string> Pieces { get; } = [];
        public override void Add(ReadOnlySpan<char> piece) => Pieces.Add(piece.ToString());
    }
}
