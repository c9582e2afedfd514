// Pre-training text for the spam classifier ("spam-pretrain"): the Brown corpus's running text and the message bodies
// of the SpamAssassin TRAINING split — never its valid or test split — as one text per line, from the converted
// corpora (data/corpora/brown/*.txt and data/corpora/spamassassin/train.tsv, whose label column is dropped).
//   train.txt = Brown's train.txt + the spam training bodies less a held-out share
//   valid.txt = Brown's valid.txt + that held-out share (ValidFraction of the training bodies, drawn by seed)
//   test.txt  = Brown's test.txt
// So masked-language-model validation measures both domains, and nothing of the classifier's valid or test messages
// is ever seen. The SpamAssassin split depends on the seed it was converted with: pre-train with the seed the
// classifier is fine-tuned with, or "train" names other messages (the stamp records the seed and input hashes).
using System.Runtime.InteropServices;

namespace Transformer.Data.Corpora;

public sealed record SpamPretrainOptions
{
    /// <summary>Share of the SpamAssassin training bodies held out for pre-training validation. Default 0.05.</summary>
    public double ValidFraction { get; init; } = 0.05;
}

public sealed class SpamPretrainConverter : ICorpusConverter
{
    public const string CorpusName = "spam-pretrain";

    /// <summary>The converted corpora this one is made of (each converted first, from data/raw).</summary>
    public static readonly IReadOnlyList<string> Parts = ["brown", "spamassassin"];

    private static readonly string[] BrownSplits = ["brown/train.txt", "brown/valid.txt", "brown/test.txt"];
    private const string SpamTrain = "spamassassin/train.tsv";

    public SpamPretrainConverter(SpamPretrainOptions? options = null)
    {
        Options = options ?? new SpamPretrainOptions();
        if (Options.ValidFraction is < 0 or >= 1)
            throw new ConfigException("spam-pretrain.valid_fraction", Options.ValidFraction, "a fraction in [0, 1)");
    }

    public string Name => CorpusName;
    public int Version => 1;
    public SpamPretrainOptions Options { get; }
    object ICorpusConverter.Options => Options;
    public IReadOnlyList<string> OutputFiles { get; } = ["train.txt", "valid.txt", "test.txt"];

    /// <summary>Relative to the converted corpora's root (data/corpora), not to data/raw.</summary>
    public IReadOnlyList<string> InputFiles(string corporaDir) => [.. BrownSplits, SpamTrain];

    CorpusReport ICorpusConverter.Convert(string corporaDir, string outDir, int seed) => Convert(corporaDir, outDir, seed);

    public SpamPretrainReport Convert(string corporaDir, string outDir, int seed)
    {
        var brown = BrownSplits.Select(f => Lines(Path.Combine(corporaDir, f))).ToArray();
        var spamPath = Path.Combine(corporaDir, SpamTrain);
        var bodies = new List<string>();
        foreach (var (number, line) in ReadRequired(spamPath))
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0) throw new CorpusFormatException(spamPath, number, "expected \"label<TAB>text\" (the spamassassin conversion's train.tsv)");
            var body = line[(tab + 1)..];
            if (body.Trim().Length > 0) bodies.Add(body);
        }
        SplitMix64.For(seed, 7).Shuffle(CollectionsMarshal.AsSpan(bodies));
        var held = (int)Math.Round(bodies.Count * Options.ValidFraction, MidpointRounding.AwayFromZero);
        var (spamValid, spamTrain) = (bodies.Take(held).ToList(), bodies.Skip(held).ToList());

        Directory.CreateDirectory(outDir);
        CorpusText.WriteLines(Path.Combine(outDir, "train.txt"), brown[0].Concat(spamTrain));
        CorpusText.WriteLines(Path.Combine(outDir, "valid.txt"), brown[1].Concat(spamValid));
        CorpusText.WriteLines(Path.Combine(outDir, "test.txt"), brown[2]);
        return new SpamPretrainReport
        {
            Corpus = Name,
            Seed = seed,
            BrownLines = [brown[0].Count, brown[1].Count, brown[2].Count],
            SpamTrainBodies = spamTrain.Count,
            SpamValidBodies = spamValid.Count,
        };
    }

    private static List<string> Lines(string path) => ReadRequired(path).Select(l => l.Text).Where(t => t.Trim().Length > 0).ToList();

    private static List<(int Number, string Text)> ReadRequired(string path)
    {
        CorpusFormatException.RequireFile(path, "a converted corpus split (prepared from data.corpus brown and spamassassin first)");
        return CorpusText.ReadLines(path);
    }
}

/// <summary>What the spam-pretrain composition took from each corpus.</summary>
public sealed record SpamPretrainReport : CorpusReport
{
    /// <summary>Brown lines (sentences) in train, valid and test.</summary>
    public IReadOnlyList<int> BrownLines { get; init; } = [];

    /// <summary>SpamAssassin training bodies in train.txt.</summary>
    public int SpamTrainBodies { get; init; }

    /// <summary>SpamAssassin training bodies held out into valid.txt.</summary>
    public int SpamValidBodies { get; init; }

    public override IReadOnlyList<string> Describe() =>
    [
        $"{CorpusName}: train {N(BrownLines.ElementAtOrDefault(0))} Brown sentences + {N(SpamTrainBodies)} SpamAssassin training bodies; "
        + $"valid {N(BrownLines.ElementAtOrDefault(1))} + {N(SpamValidBodies)} held-out training bodies; test {N(BrownLines.ElementAtOrDefault(2))} Brown sentences "
        + "(no SpamAssassin valid or test message)",
    ];

    private const string CorpusName = SpamPretrainConverter.CorpusName;
}
