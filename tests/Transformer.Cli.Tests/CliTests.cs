// The command as users meet it: help, exit codes, one-line errors, and a real kill-and-resume.
using System.Text.Json;

namespace Transformer.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("train", "--help")]
    [InlineData("evaluate", "--help")]
    [InlineData("generate", "--help")]
    [InlineData("info", "--help")]
    [InlineData("prepare", "--help")]
    [InlineData("plot", "--help")]
    [InlineData("tokenizer", "train", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        var result = Cli.Run(work, args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
    }

    [Fact]
    public void An_unknown_option_is_bad_usage_with_exit_code_2()
    {
        var result = Cli.Run(work, "train", "--no-such-option");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Stderr);
    }

    [Fact]
    public void A_config_error_is_one_line_naming_the_file_line_and_key_with_exit_code_2()
    {
        var config = Path.Combine(work, "bad.yaml");
        File.WriteAllText(config, "name: bad\nmodel:\n  kind: encoder_decoder\n  d_modle: 64\n");
        var result = Cli.Run(work, "train", config);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad.yaml:4", line);
        Assert.Contains("did you mean 'd_model'", line);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_bad_override_is_rejected_before_anything_is_written()
    {
        var run = Path.Combine(work, "run");
        var result = Cli.Run(work, "train", "--run-dir", run, "--set", "training.max_steps=-3");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("training.max_steps", result.Stderr);
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
    }

    [Fact]
    public void An_incomplete_checkpoint_is_refused_with_exit_code_2()
    {
        var run = Path.Combine(work, "run");
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", run, .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        var checkpoint = Path.Combine(run, "checkpoints", "step-4");
        File.Delete(Path.Combine(checkpoint, "optimizer.safetensors"));
        var result = Cli.Run(work, "evaluate", checkpoint);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("incomplete checkpoint: missing optimizer.safetensors", result.Stderr);
    }

    [Fact]
    public void A_killed_and_resumed_run_yields_the_uninterrupted_loss_sequence()
    {
        var whole = Path.Combine(work, "whole");
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", whole, .. Cli.TinyReversal, "--set", "training.max_steps=40"]).ExitCode);

        var killed = Path.Combine(work, "killed");
        using (var process = Cli.Start(work, ["train", "--run-dir", killed, .. Cli.TinyReversal, "--set", "training.max_steps=40"]))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!Directory.Exists(Path.Combine(killed, "checkpoints", "step-8")) && DateTime.UtcNow < deadline && !process.HasExited)
                Thread.Sleep(20);
            process.Kill(entireProcessTree: true);                 // SIGKILL: no chance to save
            process.WaitForExit();
        }
        var resumed = Cli.Run(work, "train", "--resume", killed);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resuming at step", resumed.Stdout);
        Assert.Equal(Losses(whole), Losses(killed));
    }

    [Fact]
    public void The_tensorboard_flag_turns_on_training_tensorboard_and_the_run_gets_an_events_file()
    {
        Assert.Contains("--tensorboard", Cli.Run(work, "train", "--help").Stdout);
        var run = Path.Combine(work, "tensorboard");
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", run, "--tensorboard", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        Assert.Contains("  tensorboard: true", File.ReadAllLines(Path.Combine(run, "config.yaml")));
        var events = Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard")));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(events));
    }

    private static double[] Losses(string run) => File.ReadLines(Path.Combine(run, "metrics.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(e => e.GetProperty("kind").GetString() == "train")
        .Select(e => e.GetProperty("loss").GetDouble())
        .ToArray();

    [Fact]
    public void A_classifier_reports_per_class_f1_and_its_confusion_matrix_and_classifies_a_whole_email()
    {
        var random = new Random(7);
        string Text(string label) => string.Join(' ', Enumerable.Range(0, random.Next(3, 9)).Select(_ => label == "spam" ? "win cash now" : "see you at lunch"));
        foreach (var (name, rows) in new[] { ("train", 120), ("valid", 20), ("test", 30) })
            File.WriteAllLines(Path.Combine(work, name + ".tsv"), Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? $"spam\t{Text("spam")}" : $"ham\t{Text("ham")}"));
        File.WriteAllText(Path.Combine(work, "spam.yaml"), """
            name: spam
            model: { kind: encoder_classifier, vocab_size: 40, num_classes: 2, d_model: 16, heads: 2, d_ff: 32, layers: 1, max_positions: 64 }
            training: { max_steps: 4, batch_tokens: 512, eval_every: 2, schedule: { name: constant, warmup_steps: 0 } }
            checkpoint: { every: 2 }
            data: { kind: labeled, train: train.tsv, valid: valid.tsv, test: test.tsv, prepared_dir: prepared }
            tokenizer: { kind: word, min_frequency: 1 }
            """);
        Assert.Equal(0, Cli.Run(work, "train", "spam.yaml", "--run-dir", "run").ExitCode);
        var evaluation = Cli.Run(work, "evaluate", "run/checkpoints/best", "--json");
        Assert.Equal(0, evaluation.ExitCode);
        using var json = JsonDocument.Parse(evaluation.Stdout);
        var root = json.RootElement;
        var labels = root.GetProperty("confusion_matrix").GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToArray();
        Assert.Equal(new[] { "ham", "spam" }, labels.Order());
        var counts = root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(30, counts.Sum(r => r.Sum()));
        Assert.Equal((counts[0][0] + counts[1][1]) / 30.0, root.GetProperty("accuracy").GetDouble(), 1e-12);
        foreach (var label in labels) Assert.InRange(root.GetProperty("f1_" + label).GetDouble(), 0, 1);
        // An e-mail file, headers and all, classified as one message.
        File.WriteAllText(Path.Combine(work, "mail.eml"), "From: x@example.com\nSubject: hi\n\nwin cash\nnow win cash now\n");
        var classified = Cli.Run(work, "generate", "run/checkpoints/best", "--input-file", "mail.eml", "--document");
        Assert.Equal(0, classified.ExitCode);
        Assert.Equal(1, classified.Stdout.Count(c => c == '\n'));
        Assert.Contains(classified.Stdout.Split(' ', '\t')[0].Trim(), labels);
    }

    [Fact]
    public void A_config_with_data_files_prepares_shards_trains_and_evaluates()
    {
        PairsRunFixture.WritePairs(work);
        var prepare = Cli.Run(work, "prepare", "pairs.yaml");
        Assert.Equal(0, prepare.ExitCode);
        Assert.Contains("300 examples", prepare.Stdout);
        Assert.Contains("up to date", Cli.Run(work, "prepare", "pairs.yaml").Stdout);

        Assert.Equal(0, Cli.Run(work, "train", "pairs.yaml", "--run-dir", "run",
            "--set", "training.eval_generate.beam=2", "--set", "training.eval_generate.max_examples=10",
            "--set", "training.eval_generate.no_repeat_ngram_size=3").ExitCode);
        Assert.True(File.Exists(Path.Combine(work, "run", "tokenizer.json")));
        // eval_generate: every evaluation also decoded (10 validation sources, beam 2) and logged generation metrics.
        var validLines = File.ReadLines(Path.Combine(work, "run", "metrics.jsonl")).Where(l => l.Contains("\"kind\":\"valid\"")).ToArray();
        Assert.Equal(2, validLines.Length);
        Assert.All(validLines, l => Assert.Contains("\"valid_exact_match\":", l));
        var plot = Cli.Run(work, "plot", "run", "--x", "time");
        Assert.Equal(0, plot.ExitCode);
        Assert.True(File.Exists(Path.Combine(work, "run", "plots", "valid_bleu_time.svg")));
        var evaluation = Cli.Run(work, "evaluate", "run/checkpoints/best", "--split", "valid", "--json");
        Assert.Equal(0, evaluation.ExitCode);
        using var metrics = JsonDocument.Parse(evaluation.Stdout);
        Assert.True(metrics.RootElement.GetProperty("perplexity").GetDouble() > 1);
        foreach (var rate in new[] { "token_accuracy", "exact_match", "bleu", "chrf" })
            Assert.InRange(metrics.RootElement.GetProperty(rate).GetDouble(), 0, 1);
        var generated = Cli.Run(work, "generate", "run/checkpoints/best", "--input", "abcab", "--beam", "2");
        Assert.Equal(0, generated.ExitCode);
        Assert.Equal(1, generated.Stdout.Count(c => c == '\n'));             // one output line (possibly empty: barely trained)
        Assert.Equal(2, Cli.Run(work, "generate", "run/checkpoints/best", "--input", "abc", "--beam", "2", "--sample").ExitCode);
        // --no-repeat-ngram-size 1: no character twice in an output, where the near-uniform sample of 64 repeats many.
        string[] hot = ["generate", "run/checkpoints/best", "--input", "abcab", "--sample", "--temperature", "3", "--seed", "1"];
        static char[] Characters(Cli.Result result) => result.Stdout.Where(c => !char.IsWhiteSpace(c)).ToArray();   // specials are not printed
        var looping = Characters(Cli.Run(work, hot));
        var once = Characters(Cli.Run(work, [.. hot, "--no-repeat-ngram-size", "1"]));
        Assert.True(looping.Distinct().Count() < looping.Length, new string(looping));
        Assert.True(once.Length > 0 && once.Distinct().Count() == once.Length, new string(once));
        Assert.Equal(0, Cli.Run(work, "evaluate", "run/checkpoints/best", "--split", "valid", "--no-repeat-ngram-size", "2").ExitCode);
        // --seed: a sample repeats with its seed, and another seed draws another one (the barely trained model at
        // temperature 3 is close to uniform, so samples of up to 64 tokens differ).
        string Sampled(string seed)
        {
            var result = Cli.Run(work, "generate", "run/checkpoints/best", "--input", "abcab", "--sample", "--temperature", "3", "--seed", seed);
            Assert.Equal(0, result.ExitCode);
            return result.Stdout;
        }
        var first = Sampled("1");
        Assert.Equal(first, Sampled("1"));
        Assert.Contains(new[] { Sampled("2"), Sampled("3") }, other => other != first);
        var seedAlone = Cli.Run(work, "generate", "run/checkpoints/best", "--input", "abc", "--seed", "1");
        Assert.Equal(2, seedAlone.ExitCode);
        Assert.Contains("--seed only applies to --sample", seedAlone.Stderr);
        // --document: the whole file is one input (one output line), whitespace collapsed.
        File.WriteAllText(Path.Combine(work, "doc.txt"), "abc\nab\n\n  ca\n");
        var document = Cli.Run(work, "generate", "run/checkpoints/best", "--input-file", "doc.txt", "--document");
        Assert.Equal(0, document.ExitCode);
        Assert.Equal(1, document.Stdout.Count(c => c == '\n'));
        Assert.Equal(2, Cli.Run(work, "generate", "run/checkpoints/best", "--input", "abc", "--document").ExitCode);
        // The mean of the last two checkpoints (steps 3 and 6) evaluates like any checkpoint.
        var average = Cli.Run(work, "average", "run", "--last", "2");
        Assert.Equal(0, average.ExitCode);
        Assert.Contains("step-3, step-6", average.Stdout);
        Assert.Equal(0, Cli.Run(work, "evaluate", "run/checkpoints/average-last-2", "--split", "valid", "--json").ExitCode);
        Assert.Contains("needs 5", Cli.Run(work, "average", "run", "--last", "5").Stderr);
        var missing = Cli.Run(work, "evaluate", "run/checkpoints/best", "--json");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("one of the prepared splits: train, valid", missing.Stderr);
    }

    [Fact]
    public void Tokenizer_train_writes_a_tokenizer_json_and_plot_writes_svg_curves()
    {
        var text = Path.Combine(work, "text.txt");
        File.WriteAllLines(text, Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 50));
        var trained = Cli.Run(work, "tokenizer", "train", text, "--output", "tok.json", "--kind", "word", "--min-frequency", "1");
        Assert.Equal(0, trained.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "tok.json")));
        Assert.Equal("WordLevel", json.RootElement.GetProperty("model").GetProperty("type").GetString());
        Assert.Equal(2, Cli.Run(work, "tokenizer", "train", "missing.txt", "--output", "x.json").ExitCode);

        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", "run", .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);
        var plotted = Cli.Run(work, "plot", "run");
        Assert.Equal(0, plotted.ExitCode);
        Assert.Equal("", plotted.Stderr);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(work, "run", "plots", "loss.svg")));
        Assert.True(File.Exists(Path.Combine(work, "run", "plots", "loss.png")));
        Assert.Equal(2, Cli.Run(work, "plot", "nowhere").ExitCode);
    }

    [Fact]
    public void Plot_overlays_several_runs_and_bad_run_directories_are_one_line_with_exit_code_2()
    {
        foreach (var run in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(work, run));
            File.WriteAllLines(Path.Combine(work, run, "metrics.jsonl"),
            [
                """{"step":1,"kind":"train","loss":3.0,"lr":0.1,"elapsed_s":30}""",
                """{"step":2,"kind":"valid","valid_loss":2.5,"valid_bleu":0.1,"elapsed_s":60}""",
            ]);
        }
        var overlaid = Cli.Run(work, "plot", "a", "b", "--output", "both", "--format", "svg");
        Assert.Equal(0, overlaid.ExitCode);
        Assert.Equal(["loss.svg", "lr.svg", "valid_bleu.svg"], Directory.GetFiles(Path.Combine(work, "both")).Select(Path.GetFileName).Order());
        var bleu = File.ReadAllText(Path.Combine(work, "both", "valid_bleu.svg"));
        Assert.Contains("a", bleu.Split('>').Select(t => t.Split('<')[0].Trim()));
        Assert.Contains("b", bleu.Split('>').Select(t => t.Split('<')[0].Trim()));

        Directory.CreateDirectory(Path.Combine(work, "empty"));
        Directory.CreateDirectory(Path.Combine(work, "broken"));
        File.WriteAllLines(Path.Combine(work, "broken", "metrics.jsonl"), ["""{"step":1,"kind":"train","loss":3.0}""", "{cut off"]);
        Directory.CreateDirectory(Path.Combine(work, "blank"));
        File.WriteAllText(Path.Combine(work, "blank", "metrics.jsonl"), "");
        foreach (var (dir, message) in new[]
        {
            ("nowhere", "nowhere: no such run directory"),
            ("empty", "empty: no metrics.jsonl"),
            ("broken", "metrics.jsonl:2: not JSON"),
            ("blank", "metrics.jsonl: no train or valid records"),
        })
        {
            var result = Cli.Run(work, "plot", "a", dir);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains(message, result.Stderr);
            Assert.Equal(1, result.Stderr.Count(c => c == '\n'));
        }
        Assert.Equal(2, Cli.Run(work, "plot", "a", "--format", "gif").ExitCode);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Ctrl_C_or_SIGTERM_finishes_the_step_saves_a_checkpoint_and_exits_130(string signal)
    {
        var run = Path.Combine(work, "interrupted");
        using var process = Cli.Start(work, interruptible: true, ["train", "--run-dir", run, .. Cli.TinyReversal, "--set", "training.max_steps=100000"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Directory.Exists(Path.Combine(run, "checkpoints", "step-4")) && DateTime.UtcNow < deadline && !process.HasExited)
            Thread.Sleep(20);
        using (var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", process.Id.ToString()])) kill.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();   // what it printed tells where it was
            Assert.Fail($"the run did not stop after SIG{signal}; stdout: {await stdout}; stderr: {await stderr}");
        }
        Assert.Contains($"SIG{signal}: finishing the step and saving a checkpoint", await stderr);
        Assert.Equal(130, process.ExitCode);
        var output = await stdout;
        Assert.Contains("interrupted at step", output);
        Assert.Contains("resume with: ./transformer train --resume", output);
        var step = long.Parse(output.Split("interrupted at step ")[1].Split(';')[0]);
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", $"step-{step}")), $"no checkpoint for step {step}");
    }

    [Fact]
    public async Task Kill_9_at_random_instants_then_resume_gives_the_uninterrupted_losses()
    {
        var script = Path.Combine(Cli.RepositoryRoot, "scripts", "kill-resume.sh");
        var info = new System.Diagnostics.ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in new[] { ("KILLS", "5"), ("STEPS", "40"), ("SEED", "7"), ("TRANSFORMER_CLI", Cli.Executable) })
            info.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var last = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(4)), "kill-resume.sh did not finish");
        using var json = JsonDocument.Parse(last);
        var result = json.RootElement;
        Assert.True(result.GetProperty("identical").GetBoolean(), $"losses differ after kills and resumes: {last}\n{await stderr}");
        Assert.Equal(0, result.GetProperty("resumes_failed").GetInt32());
        Assert.InRange(result.GetProperty("kills").GetInt32(), 3, 5);
        Assert.Equal(0, process.ExitCode);
    }
}
