// evaluation.baselines through the CLI: `transformer evaluate --json` scores the retrieval and compositional
// baselines on the same test split and references as the model; a corpus config without the fetched corpus
// names the fetch command.
using System.Text.Json;
using Transformer.Training.Metrics;

namespace Transformer.Cli.Tests;

public sealed class BaselineCliTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-baselines-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(work, name), text);

    [Fact]
    public void Evaluate_reports_both_baselines_next_to_the_model_on_the_test_split()
    {
        Write("train.tsv", "甲\tfirst; one\n乙\tsecond\n甲乙\tfirst and second\n丙丁\tthird fourth\n");
        Write("valid.tsv", "甲乙丙\tfirst and second\n");
        Write("test.tsv", "甲乙丙\tfirst and second\n丁\tfourth\n丁\tthe fourth\n");
        Write("zh.yaml", """
            name: zh
            model:
              kind: encoder_decoder
              source_vocab_size: 300
              target_vocab_size: 300
              share_embeddings: true
              d_model: 16
              heads: 2
              d_ff: 32
              encoder_layers: 1
              decoder_layers: 1
              max_positions: 64
            training: { max_steps: 2, batch_tokens: 256, eval_every: 2, schedule: { name: constant, warmup_steps: 0 } }
            checkpoint: { every: 2 }
            data: { kind: pairs, train: train.tsv, valid: valid.tsv, test: test.tsv, prepared_dir: prepared }
            tokenizer: { kind: bpe, vocab_size: 300, min_frequency: 1 }
            evaluation: { baselines: [retrieval, compositional] }
            """);
        var train = Cli.Run(work, "train", "zh.yaml", "--run-dir", "run");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var evaluation = Cli.Run(work, "evaluate", "run", "--json");
        Assert.True(evaluation.ExitCode == 0, evaluation.Stderr);
        using var json = JsonDocument.Parse(evaluation.Stdout);
        double Metric(string name) => json.RootElement.GetProperty(name).GetDouble();

        // Worked by hand. Test sources: 甲乙丙 (one reference) and 丁 (two references, grouped).
        // retrieval: 甲乙丙 shares 甲乙 (2) with 甲乙 → "first and second"; 丁 shares 丁 with 丙丁 → "third fourth".
        // compositional: 甲 → "first" (first sense), 乙 → "second", 丙 has no entry of its own; 丁 has none → "".
        string[][] references = [["first and second"], ["fourth", "the fourth"]];
        foreach (var (name, hypotheses, exact) in new[]
                 {
                     ("retrieval", new[] { "first and second", "third fourth" }, 0.5),
                     ("compositional", new[] { "first second", "" }, 0.0),
                 })
        {
            var bleu = new CorpusBleu();
            var chrf = new CorpusChrf();
            for (var i = 0; i < 2; i++)
            {
                bleu.Add(hypotheses[i], references[i]);
                chrf.Add(hypotheses[i], references[i]);
            }
            Assert.Equal(exact, Metric($"baseline_{name}_exact_match"), 12);
            Assert.Equal(bleu.Result.Score / 100, Metric($"baseline_{name}_bleu"), 12);
            Assert.Equal(chrf.Result.Score / 100, Metric($"baseline_{name}_chrf"), 12);
        }
        Assert.True(Metric("baseline_retrieval_chrf") > Metric("baseline_compositional_chrf"));
        foreach (var model in new[] { "exact_match", "bleu", "chrf" }) Assert.InRange(Metric(model), 0, 1);
    }

    [Fact]
    public void Prepare_without_the_fetched_corpus_is_one_line_naming_the_fetch_command()
    {
        Write("cedict.yaml", """
            name: cedict
            model: { kind: encoder_decoder, source_vocab_size: 300, target_vocab_size: 300 }
            data: { kind: pairs, corpus: cedict }
            """);
        var result = Cli.Run(work, "prepare", "cedict.yaml");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("transformer: data.corpus: 'cedict' — expected the fetched corpus in data/raw/cedict (run scripts/fetch-data.sh cedict)", line);
    }
}
