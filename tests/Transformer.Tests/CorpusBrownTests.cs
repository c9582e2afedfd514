// Brown → running text, split at word boundaries, with the <unk> vocabulary, on hand-made tagged files
// in the package's format (NLTK's Form C: "\n\n\tword/tag word/tag …" sentences, cats.txt listing).
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusBrownTests
{
    private static void WriteSample(CorpusTempDir dir)
    {
        dir.Write("raw/cats.txt", "ca01 news\nca02 news\ncb01 editorial\n");
        dir.Write("raw/ca01", "\n\n\tThe/at jury/nn said/vbd ./.\n\n\n\tThe/at vote/nn was/bedz 1/2/cd of/in the/at total/nn ./.\n");
        dir.Write("raw/ca02", "\n\n\tThe/at-tl and/or/cc //in rule/nn ./.\n\n\n\tThe/at jury/nn ''/'' voted/vbd ./.\n");
        dir.Write("raw/cb01", "\n\n\tJury/nn-tl said/vbd the/at vote/nn ./.\n\n\n\tZeta/np zeta/np alpha/nn alpha/nn\n");
        dir.Write("raw/cz99", "\n\n\tNot/rb listed/vbn ./.\n"); // not in cats.txt: ignored
    }

    private static BrownReport Convert(CorpusTempDir dir, int train = 10, int valid = 8, int unk = 1) =>
        new BrownConverter(new BrownOptions { TrainWords = train, ValidWords = valid, UnkMaxCount = unk }).Convert(dir["raw"], dir["out"], 1);

    [Fact]
    public void Tags_are_stripped_on_the_last_slash_one_sentence_per_line_in_listing_order()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir, train: 26, valid: 0);
        Assert.Equal(
        [
            "The jury said .",
            "The vote was 1/2 of the total .",
            "The and/or / rule .",
            "The jury '' voted .",
            "Jury said the vote",
        ], dir.Lines("out/train.txt"));
        Assert.Empty(dir.Lines("out/valid.txt"));
        Assert.Equal([".", "Zeta zeta alpha alpha"], dir.Lines("out/test.txt"));
        Assert.Equal((3, 6, 31, 3), (report.Files, report.Sentences, report.Tokens, report.TokensWithSlashInWord));
    }

    [Fact]
    public void The_split_cuts_at_the_word_boundaries_even_inside_a_sentence()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir, train: 10, valid: 8);
        Assert.Equal(["The jury said .", "The vote was 1/2 of the"], dir.Lines("out/train.txt"));
        Assert.Equal(["total .", "The and/or / rule .", "The"], dir.Lines("out/valid.txt"));
        Assert.Equal(["jury '' voted .", "Jury said the vote .", "Zeta zeta alpha alpha"], dir.Lines("out/test.txt"));
        Assert.Equal([("train", 10, 2), ("valid", 8, 3), ("test", 13, 3)], report.Splits.Select(s => (s.Name, s.Tokens, s.Lines)));

        // a boundary on a sentence end cuts nothing
        Convert(dir, train: 4, valid: 8);
        Assert.Equal(["The jury said ."], dir.Lines("out/train.txt"));
        Assert.Equal(["The vote was 1/2 of the total ."], dir.Lines("out/valid.txt"));
    }

    [Fact]
    public void The_vocabulary_is_lowercased_frequent_words_first_ties_alphabetical_rare_words_as_unk()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir, unk: 1);
        // counts (lowercased): the 6, . 5, jury 3; alpha, said, vote, zeta 2 each (zeta seen first: ties
        // go alphabetically); seen once: 1/2 of total and/or / rule '' voted was → 9 <unk> tokens
        Assert.Equal(["<unk>", "the", ".", "jury", "alpha", "said", "vote", "zeta"], dir.Lines("out/vocab.txt"));
        Assert.Equal((8, 9, 9), (report.VocabularySize, report.UnkTokens, report.RareWords));
        Assert.Equal((19, 16), (report.DistinctWords, report.DistinctLowercasedWords));

        report = Convert(dir, unk: 3); // Bengio's rule on the sample: only words seen more than 3 times stay
        Assert.Equal(["<unk>", "the", "."], dir.Lines("out/vocab.txt"));
        Assert.Equal(31 - 6 - 5, report.UnkTokens);
    }

    [Fact]
    public void Bad_tokens_and_listings_name_the_file_and_line()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        dir.Write("raw/ca02", "\n\n\tThe/at jury/nn\n\tsaid ./.\n");
        var e = Assert.Throws<CorpusFormatException>(() => Convert(dir));
        Assert.Equal($"{dir["raw/ca02"]}:4: expected word/tag tokens (e.g. \"The/at\"), found 'said'", e.Message);
        dir.Write("raw/ca02", "\tnoun/\n");
        Assert.Contains("found 'noun/'", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);

        dir.Write("raw/cats.txt", "ca01 news\nca03 news\n");
        e = Assert.Throws<CorpusFormatException>(() => Convert(dir));
        Assert.Equal(
            $"{dir["raw/cats.txt"]}:2: lists 'ca03', which is missing from {dir["raw"]} — expected every listed file (re-run scripts/fetch-data.sh brown)",
            e.Message);
        dir.Write("raw/cats.txt", "ca01\n");
        Assert.Equal($"{dir["raw/cats.txt"]}:1: expected \"FILE CATEGORY\" (e.g. \"ca01 news\"), found 'ca01'",
            Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        dir.Write("raw/cats.txt", "ca01 news\n");
        Assert.Contains("the listed files hold 12 tokens — expected more than train_words + valid_words (10 + 8)",
            Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        File.Delete(dir["raw/cats.txt"]);
        Assert.Contains("cats.txt: missing — expected the Brown corpus' file listing", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
    }
}
