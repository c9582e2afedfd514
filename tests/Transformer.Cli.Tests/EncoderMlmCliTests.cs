// model.kind encoder_mlm through the command: masking is keyed by (seed, data cursor, row), so a run resumed from a
// checkpoint and a run on two MPI ranks log the losses of one uninterrupted process; evaluate --json reports the
// masked-token metrics; generate fills in <mask>; a tokenizer without a mask token is one line, exit 2.
using System.Text.Json;

namespace Transformer.Cli.Tests;

public sealed class EncoderMlmCliTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-mlm-").FullName;

    public EncoderMlmCliTests()
    {
        RunLogs.WriteWordText(work, seed: 5);
        File.WriteAllText(Path.Combine(work, "mlm.yaml"), """
            name: mlm
            model: { kind: encoder_mlm, vocab_size: 20, d_model: 16, heads: 2, d_ff: 32, layers: 2, max_positions: 16, dropout: 0 }
            training: { max_steps: 8, batch_tokens: 96, eval_every: 4, log_every: 1, schedule: { name: constant, warmup_steps: 0 } }
            checkpoint: { every: 4 }
            data: { kind: text, train: train.txt, valid: valid.txt, prepared_dir: prepared }
            tokenizer: { kind: word, min_frequency: 1, special_tokens: { mask: "<mask>" } }
            """);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Two_ranks_train_a_masked_language_model_to_the_loss_sequence_of_one_process()
    {
        var one = RunLogs.Train(work, "one", ["mlm.yaml"]);
        var two = RunLogs.Train(work, "two", ["mlm.yaml", "--nproc", "2"]);
        RunLogs.AssertSameLosses(one, two);
        Assert.All(one.Where(l => l.GetProperty("kind").GetString() == "train"), l => Assert.True(l.TryGetProperty("mlm_accuracy", out _)));
    }

    [Fact]
    public void A_resumed_run_masks_as_the_uninterrupted_one_and_logs_its_losses()
    {
        var whole = RunLogs.Train(work, "whole", ["mlm.yaml"]);
        RunLogs.Train(work, "pieces", ["mlm.yaml", "--set", "training.max_steps=4"]);
        var resumed = Cli.Run(work, "train", "--resume", "pieces", "--set", "training.max_steps=8");
        Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}: {resumed.Stderr}");
        RunLogs.AssertSameLosses(whole, RunLogs.Metrics(work, "pieces"), tolerance: 0);
    }

    [Fact]
    public void Evaluate_reports_the_masked_token_metrics_and_generate_fills_in_the_mask()
    {
        RunLogs.Train(work, "run", ["mlm.yaml"]);
        var evaluation = Cli.Run(work, "evaluate", "run", "--split", "valid", "--json");
        Assert.True(evaluation.ExitCode == 0, $"exit {evaluation.ExitCode}: {evaluation.Stderr}");
        using var json = JsonDocument.Parse(evaluation.Stdout);
        Assert.Equal(["loss", "mlm_perplexity", "mlm_accuracy"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var loss = json.RootElement.GetProperty("loss").GetDouble();
        Assert.Equal(Math.Exp(loss), json.RootElement.GetProperty("mlm_perplexity").GetDouble(), 9);
        // The same figure as the run's last validation (validation masks the same way every time).
        var last = RunLogs.Metrics(work, "run").Last(l => l.GetProperty("kind").GetString() == "valid");
        Assert.Equal(last.GetProperty("valid_loss").GetDouble(), loss, 5);

        var generated = Cli.Run(work, "generate", "run", "--input", "the cat <mask> on the mat");
        Assert.True(generated.ExitCode == 0, $"exit {generated.ExitCode}: {generated.Stderr}");
        // An 8-step model's guess is anything; the text around it stays, and the mask is gone.
        Assert.StartsWith("the cat", generated.Stdout.Trim());
        Assert.EndsWith("on the mat", generated.Stdout.Trim());
        Assert.DoesNotContain("<mask>", generated.Stdout);

        var none = Cli.Run(work, "generate", "run", "--input", "the cat sat");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no <mask> to fill in", Assert.Single(none.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void A_tokenizer_without_a_mask_token_is_one_line_with_exit_code_2()
    {
        File.WriteAllText(Path.Combine(work, "nomask.yaml"), File.ReadAllText(Path.Combine(work, "mlm.yaml")).Replace(", special_tokens: { mask: \"<mask>\" }", ""));
        var result = Cli.Run(work, "train", "nomask.yaml");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("tokenizer.special_tokens.mask: (missing) — expected a mask token (such as <mask>) for model.kind encoder_mlm", line);
    }



}
