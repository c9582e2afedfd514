// spam-pretrain: Brown's text and the SpamAssassin TRAINING split's bodies, never a valid or test message, labels
// dropped; a held-out share of the training bodies validates; a re-split SpamAssassin corpus rebuilds it.
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusSpamPretrainTests
{
    private static readonly string[] SpamTrain = Enumerable.Range(0, 40).Select(i => $"{(i % 3 == 0 ? "spam" : "ham")}\ttraining body {i}").ToArray();

    private static void WriteConverted(CorpusTempDir dir, string[] spamTrain)
    {
        dir.Write("corpora/brown/train.txt", "The jury said .\nIt was over .\n");
        dir.Write("corpora/brown/valid.txt", "A valid sentence .\n");
        dir.Write("corpora/brown/test.txt", "A test sentence .\n");
        dir.Write("corpora/spamassassin/train.tsv", string.Join("\n", spamTrain) + "\n");
        dir.Write("corpora/spamassassin/valid.tsv", "spam\tVALID MESSAGE\n");
        dir.Write("corpora/spamassassin/test.tsv", "ham\tTEST MESSAGE\n");
    }

    [Fact]
    public void Train_and_valid_hold_brown_and_the_training_bodies_only_without_labels()
    {
        using var dir = new CorpusTempDir();
        WriteConverted(dir, SpamTrain);
        var report = CorpusConversions.Convert(new SpamPretrainConverter(new SpamPretrainOptions { ValidFraction = 0.1 }),
            dir["corpora"], dir["corpora/spam-pretrain"], seed: 1);
        string[] train = dir.Lines("corpora/spam-pretrain/train.txt"), valid = dir.Lines("corpora/spam-pretrain/valid.txt");
        Assert.Equal(["The jury said .", "It was over ."], train[..2]);
        Assert.Equal("A valid sentence .", valid[0]);
        Assert.Equal(["A test sentence ."], dir.Lines("corpora/spam-pretrain/test.txt"));
        var bodies = SpamTrain.Select(l => l.Split('\t')[1]).ToHashSet();
        var trainBodies = train[2..];
        var validBodies = valid[1..];
        Assert.Equal(36, trainBodies.Length);
        Assert.Equal(4, validBodies.Length);                                              // 10% held out
        Assert.Empty(trainBodies.Intersect(validBodies));
        Assert.True(bodies.SetEquals(trainBodies.Concat(validBodies)));                   // every training body, once
        var everything = string.Join("\n", train.Concat(valid));
        Assert.DoesNotContain("VALID MESSAGE", everything);
        Assert.DoesNotContain("TEST MESSAGE", everything);
        Assert.DoesNotContain("\t", everything);
        Assert.Equal(36, ((SpamPretrainReport)report).SpamTrainBodies);
    }

    [Fact]
    public void A_changed_spamassassin_training_split_rebuilds_the_text_and_an_unchanged_one_does_not()
    {
        using var dir = new CorpusTempDir();
        WriteConverted(dir, SpamTrain);
        var converter = new SpamPretrainConverter();
        Assert.False(CorpusConversions.Convert(converter, dir["corpora"], dir["corpora/spam-pretrain"], seed: 1).UpToDate);
        Assert.True(CorpusConversions.Convert(converter, dir["corpora"], dir["corpora/spam-pretrain"], seed: 1).UpToDate);
        WriteConverted(dir, SpamTrain[..30]);
        Assert.False(CorpusConversions.Convert(converter, dir["corpora"], dir["corpora/spam-pretrain"], seed: 1).UpToDate);
        Assert.Equal(30 + 2, dir.Lines("corpora/spam-pretrain/train.txt").Length + dir.Lines("corpora/spam-pretrain/valid.txt").Length - 1);
    }

    [Fact]
    public void A_missing_converted_corpus_names_the_file()
    {
        using var dir = new CorpusTempDir();
        dir.Write("corpora/brown/train.txt", "x\n");
        var e = Assert.ThrowsAny<Exception>(() => CorpusConversions.Convert(new SpamPretrainConverter(), dir["corpora"], dir["corpora/spam-pretrain"], seed: 1));
        Assert.Contains("valid.txt", e.Message);
    }
}
