// tokenizer.json: Hugging Face's files load (both merge spellings, GPT-2's layout with its ByteLevel
// post-processor), the saved layout is serde_json's pretty one, and malformed or unsupported files are
// refused with the file, the JSON path and the problem.
using Transformer.Text;

namespace Transformer.Tests;

public class TokenizerJsonTests
{
    // The tiny GPT-2 fixture (TokenizerTestFiles) as Hugging Face writes a GPT-2 tokenizer.json.
    private const string Gpt2Style = """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            {"id": 15, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}
          ],
          "normalizer": null,
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
          "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
          "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
          "model": {
            "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "",
            "fuse_unk": false, "byte_fallback": false,
            "vocab": {"t": 0, "h": 1, "e": 2, "Ġ": 3, "c": 4, "a": 5, "'": 6, "s": 7, "th": 8, "the": 9, "at": 10,
                      "Ġc": 11, "Ġcat": 12, "'s": 13, "Ġh": 14, "<|endoftext|>": 15},
            "merges": MERGES
          }
        }
        """;

    private const string StringMerges = """["t h", "a t", "th e", "Ġ c", "Ġc at", "' s", "Ġ h"]""";
    private const string ArrayMerges = """[["t", "h"], ["a", "t"], ["th", "e"], ["Ġ", "c"], ["Ġc", "at"], ["'", "s"], ["Ġ", "h"]]""";

    [Theory]
    [InlineData(StringMerges)]
    [InlineData(ArrayMerges)]
    public void A_hugging_face_gpt2_file_encodes_like_the_original_vocab_and_merges(string merges)
    {
        var tokenizer = Assert.IsType<BpeTokenizer>(Tokenizer.FromJson(Gpt2Style.Replace("MERGES", merges)));
        using var files = new TokenizerTestFiles();
        var (vocab, mergesPath) = files.WriteTinyGpt2();
        var original = BpeTokenizer.FromGpt2Files(vocab, mergesPath);
        foreach (var text in new[] { "the cat's hat", "<|endoftext|>the cat", "cat  the" })
            Assert.Equal(original.Encode(text), tokenizer.Encode(text));
        Assert.Equal([9, 12, 13, 14, 10], tokenizer.Encode("the cat's hat"));

        var saved = tokenizer.ToJson();
        Assert.Equal(saved, Tokenizer.FromJson(saved).ToJson());
        Assert.Contains(merges == ArrayMerges ? "\"merges\": [\n      [\n        \"t\",\n        \"h\"\n      ]," : "\"merges\": [\n      \"t h\",", saved);
        Assert.Contains("\"post_processor\": {\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": true,\n    \"trim_offsets\": false,", saved);
    }

    [Fact]
    public void The_saved_layout_is_serde_pretty_json_with_the_vocabulary_in_id_order()
    {
        var tokenizer = Tokenizer.FromJson("""
            {"added_tokens": [{"id": 0, "content": "<unk>", "special": true}],
             "normalizer": {"type": "NFC"}, "pre_tokenizer": {"type": "WhitespaceSplit"},
             "model": {"type": "WordLevel", "vocab": {"b\"\\\n": 2, "<unk>": 0, "é": 1}, "unk_token": "<unk>"}}
            """);
        const string expected = """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
                {
                  "id": 0,
                  "content": "<unk>",
                  "single_word": false,
                  "lstrip": false,
                  "rstrip": false,
                  "normalized": false,
                  "special": true
                }
              ],
              "normalizer": {
                "type": "NFC"
              },
              "pre_tokenizer": {
                "type": "WhitespaceSplit"
              },
              "post_processor": null,
              "decoder": null,
              "model": {
                "type": "WordLevel",
                "vocab": {
                  "<unk>": 0,
                  "é": 1,
                  "b\"\\\n": 2
                },
                "unk_token": "<unk>"
              }
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), tokenizer.ToJson());
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "{\"model\": ", "bad.json:1:11: invalid JSON" },
        { "[]", "bad.json: $: expected a tokenizer.json object, found an array" },
        { "{}", "bad.json: $: missing \"model\"" },
        { """{"model": {"vocab": {}}}""", "bad.json: $.model: missing \"type\"" },
        { """{"model": {"type": "BPE", "merges": []}}""", "bad.json: $.model: missing \"vocab\"" },
        { """{"model": {"type": "BPE", "vocab": [], "merges": []}}""", "bad.json: $.model.vocab: expected an object, found an array" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 0}}}""", "bad.json: $.model.vocab.b: duplicate id 0 (also \"a\")" },
        { """{"model": {"type": "BPE", "vocab": {"a": -1}}}""", "bad.json: $.model.vocab.a: expected a non-negative id, found -1" },
        { """{"model": {"type": "BPE", "vocab": {"a": 1.5}}}""", "bad.json: $.model.vocab.a: expected an integer, found the number 1.5" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b", "a c"]}}""", "bad.json: $.model.merges[1]: unknown token \"c\"" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}}""", "bad.json: $.model.merges[0]: the merged token \"ab\" is not in the vocabulary" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["ab"]}}""", "bad.json: $.model.merges[0]: expected two tokens separated by a space, found \"ab\"" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [["a"]]}}""", "bad.json: $.model.merges[0]: expected a pair of tokens, found 1 items" },
        { """{"model": {"type": "BPE", "vocab": {"a": 0}, "unk_token": "<unk>"}}""", "bad.json: $.model.unk_token: the unk token \"<unk>\" is not in the vocabulary" },
        { """{"model": {"type": "WordLevel", "vocab": {"a": 0}}, "added_tokens": [{"id": 0, "content": "<s>"}]}""", "bad.json: $.added_tokens[0]: id 0 is \"<s>\" here but \"a\" in the model's vocabulary" },
        { """{"model": {"type": "WordLevel", "vocab": {"a": 0}}, "added_tokens": [{"id": 1, "content": "a"}]}""", "bad.json: $.added_tokens[0]: \"a\" has id 1 here but 0 in the model's vocabulary" },
        { """{"model": {"type": "WordLevel", "vocab": {}}, "added_tokens": [{"id": 1, "content": "x"}, {"id": 1, "content": "y"}]}""", "bad.json: $.added_tokens[1].id: duplicate id 1" },
        { """{"model": {"type": "WordLevel", "vocab": {}}, "added_tokens": [{"id": 1}]}""", "bad.json: $.added_tokens[0]: missing \"content\"" },
        { """{"model": {"type": "WordLevel", "vocab": {}}, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(("}, "behavior": "Isolated"}}""", "bad.json: $.pre_tokenizer.pattern.Regex: the regex cannot be compiled by .NET" },
        { """{"model": {"type": "WordLevel", "vocab": {}}, "pre_tokenizer": {"type": "Split", "pattern": {"String": "x"}, "behavior": "Dropped"}}""", "bad.json: $.pre_tokenizer.behavior: unknown behavior \"Dropped\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_files_are_refused_naming_the_file_the_path_and_the_problem(string json, string message)
    {
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.FromJson(json, "bad.json"));
        Assert.StartsWith(message, e.Message);
    }

    public static TheoryData<string, string> UnsupportedFeatures => new()
    {
        { """{"model": {"type": "WordPiece", "vocab": {}}}""", "$.model.type: model type 'WordPiece' is not supported" },
        { """{"model": {"type": "Unigram", "vocab": []}}""", "$.model.type: model type 'Unigram' is not supported" },
        { """{"model": {"type": "BPE", "vocab": {}, "dropout": 0.1}}""", "$.model.dropout: BPE dropout is not supported" },
        { """{"normalizer": {"type": "Precompiled"}, "model": {"type": "BPE", "vocab": {}}}""", "$.normalizer.type: normalizer 'Precompiled' is not supported" },
        { """{"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Strip"}]}, "model": {"type": "BPE", "vocab": {}}}""", "$.normalizer.normalizers[1].type: normalizer 'Strip' is not supported" },
        { """{"pre_tokenizer": {"type": "Metaspace"}, "model": {"type": "BPE", "vocab": {}}}""", "$.pre_tokenizer.type: pre-tokenizer 'Metaspace' is not supported" },
        { """{"decoder": {"type": "WordPiece"}, "model": {"type": "BPE", "vocab": {}}}""", "$.decoder.type: decoder 'WordPiece' is not supported" },
        { """{"post_processor": {"type": "TemplateProcessing"}, "model": {"type": "BPE", "vocab": {}}}""", "$.post_processor.type: post-processor 'TemplateProcessing' is not supported" },
        { """{"truncation": {"max_length": 512}, "model": {"type": "BPE", "vocab": {}}}""", "$.truncation: truncation settings are not supported" },
    };

    [Theory]
    [MemberData(nameof(UnsupportedFeatures))]
    public void Unsupported_features_are_refused_naming_the_file_and_the_json_path(string json, string message)
    {
        using var files = new TokenizerTestFiles();
        var path = files.Write("tokenizer.json", json);
        var e = Assert.Throws<TokenizerFormatException>(() => Tokenizer.Load(path));
        Assert.StartsWith($"{path}: {message}", e.Message);
    }

    [Fact]
    public void A_dropout_of_zero_is_no_dropout()
    {
        var tokenizer = Tokenizer.FromJson("""{"model": {"type": "BPE", "dropout": 0.0, "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}""");
        Assert.Equal([2, 0], tokenizer.Encode("aba"));
        Assert.Contains("\"dropout\": null", tokenizer.ToJson());
    }

    [Fact]
    public void Byte_fallback_prefix_and_unk_settings_of_a_bpe_file_are_honored_and_kept()
    {
        var tokenizer = Tokenizer.FromJson("""
            {"model": {"type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
                       "continuing_subword_prefix": "##",
                       "vocab": {"<unk>": 0, "a": 1, "##b": 2, "##a": 3, "<0xC3>": 4, "<0xA9>": 5, "a##b": 6},
                       "merges": ["a ##b"]}}
            """);
        // "ab" → a ##b → merged; "é" is C3 A9 → byte tokens; "x", "yz" are unknown → one fused unk each word.
        Assert.Equal([6], tokenizer.Encode("ab"));
        Assert.Equal([1, 3, 0], tokenizer.Encode("aaxy"));
        Assert.Equal([4, 5], tokenizer.Encode("é"));
        Assert.Equal(0, tokenizer.UnkId);
        Assert.Equal(tokenizer.ToJson(), Tokenizer.FromJson(tokenizer.ToJson()).ToJson());
        Assert.Contains("\"continuing_subword_prefix\": \"##\"", tokenizer.ToJson());
    }
}
