// The evaluation anchors for pairs data: retrieval by character overlap and character-by-character
// composition, on hand-worked cases, and their config key.
using Transformer.Configuration;
using Transformer.Training.Baselines;

namespace Transformer.Tests;

public class BaselineTests
{
    private static readonly (string, string)[] Words =
    [
        ("中国", "China"),
        ("中国人", "Chinese person"),
        ("国家", "country; state"),
        ("美国", "USA"),
        ("人", "person; people"),
        ("人人", "everybody"),
    ];

    [Theory]
    [InlineData("中国菜", "Chinese person")]  // 中国 and 中国人 both share 2; 中国人 is as long as the query (gap 0)
    [InlineData("国", "China")]              // 中国, 国家, 美国 share 1 with gap 1: the earliest example wins
    [InlineData("美人", "USA")]              // 美国, 中国人, 人, 人人 share 1; 美国 and 人人 have gap 0, 美国 comes first
    [InlineData("猫", "")]                   // no character in common: nothing retrieved
    [InlineData("中 国", "China")]           // white space is no character
    public void Retrieval_returns_the_target_of_the_training_source_with_the_most_characters_in_common(string query, string expected) =>
        Assert.Equal(expected, new RetrievalBaseline(Words).Predict(query));

    [Fact]
    public void Retrieval_overlap_counts_repeated_characters_as_a_multiset()
    {
        // 人人国 (3 characters): 人人 → min(2,2) = 2, gap 1; 中国人 → 人 1 + 国 1 = 2, gap 0; 国家, 美国, 中国 → 1.
        var baseline = new RetrievalBaseline(Words);
        Assert.Equal(1, baseline.Retrieve("人人国"));     // 中国人: same overlap, smaller length gap
        Assert.Equal(5, baseline.Retrieve("人人人"));     // 人人: min(3,2) = 2 beats 人 (1) and 中国人 (1)
        Assert.Null(baseline.Retrieve(""));
        Assert.Equal(6, baseline.Examples);
        // The scores are reset between queries: the same query twice gives the same answer.
        Assert.Equal(baseline.Retrieve("中国菜"), baseline.Retrieve("中国菜"));
    }

    [Fact]
    public void Retrieval_treats_a_character_outside_the_basic_plane_as_one_character()
    {
        var baseline = new RetrievalBaseline([("𠮷野", "Yoshino"), ("野家", "Noya")]);
        Assert.Equal("Yoshino", baseline.Predict("𠮷"));
        // 𠮷野 is 2 characters (3 UTF-16 units): both sources share 1 with gap 1, and the earlier one wins.
        Assert.Equal("Yoshino", baseline.Predict("野"));
    }

    [Theory]
    [InlineData("中国人", "middle country person")]
    [InlineData("中猫国", "middle country")]       // 猫 has no entry of its own: left out
    [InlineData("猫", "")]
    [InlineData("人人", "person person")]
    [InlineData("𠮷中", "lucky middle")]
    public void Compositional_concatenates_the_first_sense_of_each_characters_own_entry(string query, string expected)
    {
        var baseline = new CompositionalBaseline(
        [
            ("中国", "China"),
            ("中", "middle; center"),
            ("国", "country; nation; state"),
            ("人", "person"),
            ("中", "China (abbr.)"),    // a second entry of 中: the first one counts
            ("𠮷", "lucky"),
        ]);
        Assert.Equal(expected, baseline.Predict(query));
        Assert.Equal(4, baseline.Characters);
    }

    [Fact]
    public void The_factory_builds_the_configured_baselines_in_order()
    {
        var built = PairBaselines.Build([BaselineKind.Compositional, BaselineKind.Retrieval], Words);
        Assert.Equal(["compositional", "retrieval"], built.Select(b => b.Name));
        Assert.Empty(PairBaselines.Build([], Words));
    }

    [Fact]
    public void Evaluation_baselines_is_a_checked_list_for_encoder_decoder_models_only()
    {
        const string pairs = """
            name: x
            model: { kind: encoder_decoder, source_vocab_size: 10, target_vocab_size: 10 }
            data: { kind: pairs, train: train.tsv }

            """;
        Assert.Equal([BaselineKind.Retrieval, BaselineKind.Compositional],
            ConfigSamples.Parse(pairs + "evaluation: { baselines: [retrieval, compositional] }\n").Evaluation.Baselines);
        Assert.Null(ConfigSamples.Parse(pairs).Evaluation.Baselines);
        Assert.Equal("configs/x.yaml:4: evaluation.baselines[1]: 'oracle' — expected one of retrieval|compositional",
            ConfigSamples.ErrorOf(pairs + "evaluation: { baselines: [retrieval, oracle] }\n"));
        Assert.Contains("evaluation.baselines[1]: 'retrieval' — expected each baseline once",
            ConfigSamples.ErrorOf(pairs + "evaluation: { baselines: [retrieval, retrieval] }\n"));
        const string lm = """
            name: x
            model: { kind: decoder_only, vocab_size: 10 }
            data: { kind: text, train: train.txt }
            evaluation: { baselines: [retrieval] }
            """;
        Assert.Contains("evaluation.baselines: [retrieval] — expected null for model.kind decoder_only", ConfigSamples.ErrorOf(lm));
    }
}
