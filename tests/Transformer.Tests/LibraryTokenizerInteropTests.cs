// Our tokenizers as Microsoft.ML.Tokenizers tokenizers: the library's interface gives our ids, and our
// byte-level BPE gives the ids of the library's own BpeTokenizer (ByteLevel) built from the same vocab.json
// and merges.txt.
using System.Buffers;
using System.Text.RegularExpressions;
using Lib = Microsoft.ML.Tokenizers;
using Transformer.Text;

namespace Transformer.Tests;

public class LibraryTokenizerInteropTests
{
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "  two  spaces, tabs\tand\nnewlines\r\n end  ",
        "Numbers 12345 and 3.14159, 1,000,000 — dates 2024-01-02.",
        "Ünïcödé façade naïve café; Ελληνικά; русский текст; 中文字符和日本語のテキスト",
        "Emoji 😀🎉👍🏽 and flags 🇫🇷 mixed with words it's they're we'll I'd",
        "punctuation!!! ??? ... (brackets) [more] {braces} <angle> @user #tag $5 100%",
        "",
        " ",
        "a",
    ];

    private static BpeTokenizer Trained() => BpeTokenizer.Train(
        Texts.Concat(Enumerable.Repeat("the cat sat on the mat with the other cats and 12 dogs 😀 café", 20)),
        new BpeTrainerOptions { VocabSize = 400, MinFrequency = 1, MaxDegreeOfParallelism = 1 });

    [Fact]
    public void Our_bpe_is_a_library_tokenizer_whose_interface_gives_our_ids()
    {
        Lib.Tokenizer library = Trained();
        var ours = (BpeTokenizer)library;
        foreach (var text in Texts)
        {
            Assert.Equal(ours.Encode(text), library.EncodeToIds(text));
            Assert.Equal(ours.Encode(text).Length, library.CountTokens(text));
            Assert.Equal(ours.Encode(text), library.EncodeToTokens(text, out _).Select(t => t.Id));
            Assert.Equal(text, library.Decode(library.EncodeToIds(text)));
        }
    }

    [Fact]
    public void A_maximum_token_count_keeps_whole_words_and_says_how_much_text_they_cover()
    {
        Lib.Tokenizer library = Trained();
        const string text = "the cat sat on the mat";
        var ids = library.EncodeToIds(text, maxTokenCount: 3, out _, out var consumed);
        Assert.True(ids.Count <= 3);
        Assert.Equal(library.EncodeToIds(text[..consumed]), ids);
        Assert.Equal(text.Length, library.EncodeToIds(text, 1000, out _, out var all).Count > 0 ? all : -1);
    }

    [Fact]
    public void Decoding_into_a_span_writes_all_or_reports_it_too_small()
    {
        Lib.Tokenizer library = Trained();
        var ids = library.EncodeToIds("café 😀");
        var buffer = new char[64];
        Assert.Equal(OperationStatus.Done, library.Decode(ids, buffer, out var used, out var written));
        Assert.Equal(ids.Count, used);
        Assert.Equal("café 😀", new string(buffer, 0, written));
        Assert.Equal(OperationStatus.DestinationTooSmall, library.Decode(ids, new char[3], out _, out _));
    }

    [Fact]
    public void Our_byte_level_bpe_gives_the_ids_of_the_library_bpe_built_from_the_same_vocab_and_merges()
    {
        using var files = new TokenizerTestFiles();
        var ours = Trained();
        var vocab = Path.Combine(files.Folder, "vocab.json");
        var merges = Path.Combine(files.Folder, "merges.txt");
        ours.SaveGpt2Files(vocab, merges);
        var library = LibraryByteLevelBpe(vocab, merges);
        var reloaded = BpeTokenizer.FromGpt2Files(vocab, merges);
        foreach (var text in Texts.Append(string.Concat(Texts)).Append("unseen words: xylophone quizzically 42 😀😀"))
        {
            Assert.Equal(library.EncodeToIds(text), ours.Encode(text));
            Assert.Equal(ours.Encode(text), reloaded.Encode(text));
        }
    }

    /// <summary>GPT-2's byte-level BPE in the library: its regex pre-tokenizer and the byte alphabet.</summary>
    internal static Lib.BpeTokenizer LibraryByteLevelBpe(string vocab, string merges) =>
        Lib.BpeTokenizer.Create(new Lib.BpeOptions(vocab, merges)
        {
            ByteLevel = true,
            PreTokenizer = new Lib.RegexPreTokenizer(
                new Regex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled), null),
        });
}
