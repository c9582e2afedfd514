// The promise to users, tried as they would break it: every failure is one line naming what is wrong, exit 2
// (1 for a run that failed while training, 130 after an interrupt), no .NET exception names or stack traces; a
// failed start leaves no run directory; a resume is refused rather than silently training on other data or an
// other model; finished runs stay finished. One trained run (the fixture) is copied into each test's folder.
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Transformer.Cli.Tests;

public sealed class PairsRunFixture : IDisposable
{
    /// <summary>train.tsv, valid.tsv, pairs.yaml (6 steps, checkpoints every 3), and run/ trained from them.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("cli-pairs-").FullName;

    public PairsRunFixture()
    {
        WritePairs(Folder);
        var result = Cli.Run(Folder, "train", "pairs.yaml", "--run-dir", "run");
        if (result.ExitCode != 0) throw new InvalidOperationException($"the fixture run failed: {result.Stderr}");
    }

    public static void WritePairs(string folder)
    {
        var random = new Random(5);
        foreach (var (name, rows) in new[] { ("train", 300), ("valid", 30) })
            File.WriteAllLines(Path.Combine(folder, name + ".tsv"), Enumerable.Range(0, rows).Select(_ =>
            {
                var word = new string(Enumerable.Range(0, random.Next(3, 8)).Select(_ => (char)('a' + random.Next(8))).ToArray());
                return $"{word}\t{new string(word.Reverse().ToArray())}";
            }));
        File.WriteAllText(Path.Combine(folder, "pairs.yaml"), """
            name: pairs
            model:
              kind: encoder_decoder
              source_vocab_size: 16
              target_vocab_size: 16
              share_embeddings: true
              d_model: 16
              heads: 2
              d_ff: 32
              encoder_layers: 1
              decoder_layers: 1
              max_positions: 32
            training:
              max_steps: 6
              batch_tokens: 256
              eval_every: 3
              schedule: { name: constant, warmup_steps: 0 }
            checkpoint: { every: 3 }
            data: { kind: pairs, train: train.tsv, valid: valid.tsv, prepared_dir: prepared }
            tokenizer: { kind: char, min_frequency: 1 }
            """);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class ErrorContractTests(PairsRunFixture fixture, ITestOutputHelper output) : IClassFixture<PairsRunFixture>, IDisposable
{
    private readonly string work = Copy(fixture.Folder, Directory.CreateTempSubdirectory("cli-contract-").FullName);

    public void Dispose()
    {
        foreach (var mount in Directory.EnumerateDirectories(work, "mnt-*")) Succeeds("umount", mount);
        Directory.Delete(work, recursive: true);
    }

    /// <summary>cp -a: the run's `best` link stays a link.</summary>
    private static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        Assert.True(Succeeds("cp", "-a", from + "/.", to), $"cp -a {from} {to} failed");
        return to;
    }

    /// <summary>One line on stderr, without .NET's exception names or a stack trace.</summary>
    private static string OneLine(Cli.Result result, int exitCode = 2)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("transformer: ", line);
        Assert.DoesNotMatch(@"\b[A-Z]\w*Exception\b", line);
        Assert.DoesNotContain("   at ", result.Stderr);
        return line;
    }

    private string Hash(string relative) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(work, relative))));

    private string[] Tree(string relative) =>
        Directory.EnumerateFileSystemEntries(Path.Combine(work, relative), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(work, p) + (File.Exists(p) ? ":" + Hash(Path.GetRelativePath(work, p)) : "")).Order().ToArray();

    [Theory]
    [InlineData("tokenizer.path=garbage.json", "garbage.json:1:1: invalid JSON")]
    [InlineData("data.train=empty.tsv", "empty.tsv: an empty file")]
    [InlineData("data.train=missing.tsv", "data.train: 'missing.tsv' — expected an existing file")]
    [InlineData("tokenizer.vocab_size=3", "tokenizer.vocab_size: 3 — expected at least 5")]
    [InlineData("tokenizer.path=no-unk.json", "is not in the vocabulary and the tokenizer has no unk token — expected text the tokenizer can encode")]
    public void A_start_that_fails_is_one_line_exit_2_and_leaves_no_run_directory_to_block_a_retry(string setting, string expected)
    {
        File.WriteAllText(Path.Combine(work, "garbage.json"), "garbage");
        File.WriteAllText(Path.Combine(work, "empty.tsv"), "");
        File.WriteAllText(Path.Combine(work, "no-unk.json"), """
            {"model": {"type": "WordLevel", "vocab": {"<pad>": 0, "<bos>": 1, "<eos>": 2, "a": 3}, "unk_token": null},
             "pre_tokenizer": {"type": "WhitespaceSplit"}}
            """);
        var failed = Cli.Run(work, "train", "pairs.yaml", "--run-dir", "retry", "--set", setting);
        Assert.Contains(expected, OneLine(failed));
        Assert.False(Directory.Exists(Path.Combine(work, "retry")), "a failed start left a run directory");
        Assert.Equal(0, Cli.Run(work, "train", "pairs.yaml", "--run-dir", "retry", "--set", "training.max_steps=1").ExitCode);
    }

    [Theory]
    [InlineData("must be in (0, 1], got 2", "generate", "run", "--input", "abc", "--sample", "--top-p", "2")]
    [InlineData("--top-k must be at least 1", "generate", "run", "--input", "abc", "--sample", "--top-k", "0")]
    [InlineData("only apply to --sample", "generate", "run", "--input", "abc", "--top-p", "0.5")]
    [InlineData("--no-repeat-ngram-size must be 0 (off) or at least 1, got -1", "generate", "run", "--input", "abc", "--no-repeat-ngram-size", "-1")]
    [InlineData("--no-repeat-ngram-size must be 0 (off) or at least 1, got -2", "evaluate", "run", "--no-repeat-ngram-size", "-2")]
    [InlineData("--vocab-size must be at least 260 for a bpe tokenizer", "tokenizer", "train", "train.tsv", "--output", "t.json", "--vocab-size", "100")]
    [InlineData("no such checkpoint or run directory", "evaluate", "nowhere")]
    [InlineData("--allow-data-change only applies with --resume", "train", "pairs.yaml", "--allow-data-change")]
    [InlineData("tokenizer.encoding: 'gpt3' — expected gpt2, r50k_base, cl100k_base, o200k_base for a tiktoken tokenizer",
        "train", "pairs.yaml", "--set", "tokenizer.kind=tiktoken", "--set", "tokenizer.encoding=gpt3")]
    [InlineData("tokenizer.path: 'x.model' — expected an existing SentencePiece .model file",
        "train", "pairs.yaml", "--set", "tokenizer.kind=sentencepiece", "--set", "tokenizer.path=x.model")]
    [InlineData("model.source_vocab_size: 16 — expected at least the tokenizer's vocabulary size (50258: 50257 of tiktoken gpt2 and the added special token <pad>)",
        "train", "pairs.yaml", "--set", "tokenizer.kind=tiktoken", "--set", "tokenizer.encoding=gpt2")]
    public void A_bad_argument_is_one_line_and_exit_2(string expected, params string[] args) =>
        Assert.Contains(expected, OneLine(Cli.Run(work, args)));

    [Fact]
    public void A_run_directory_that_cannot_be_created_names_the_reason()
    {
        File.WriteAllText(Path.Combine(work, "a-file"), "");
        var line = OneLine(Cli.Run(work, "train", "pairs.yaml", "--run-dir", "a-file/run"));
        Assert.Contains("a-file/run: cannot create the run directory:", line);
        Assert.Contains("a-file is a file, not a directory", line);
        Assert.Contains("is a file; --run-dir needs a directory", OneLine(Cli.Run(work, "train", "pairs.yaml", "--run-dir", "a-file")));
    }

    [Fact]
    public void Resuming_a_finished_run_says_so_exits_0_and_changes_nothing()
    {
        var before = Tree("run");
        var result = Cli.Run(work, "train", "--resume", "run");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("already finished: reached max_steps at step 6; nothing to train", result.Stdout);
        Assert.Equal(before, Tree("run"));
    }

    [Fact]
    public void A_resume_after_the_data_changed_is_refused_naming_the_file_unless_allowed()
    {
        File.AppendAllText(Path.Combine(work, "train.tsv"), "abc\tcba\n");
        var tokenizer = Hash("run/tokenizer.json");
        var refused = OneLine(Cli.Run(work, "train", "--resume", "run", "--set", "training.max_steps=9"));
        Assert.Contains("data.json: the data changed since the run started: train.tsv changed (sha256", refused);
        Assert.Contains("--allow-data-change", refused);
        Assert.Equal(tokenizer, Hash("run/tokenizer.json"));
        Assert.DoesNotContain("max_steps: 9", File.ReadAllText(Path.Combine(work, "run", "config.yaml")));

        var allowed = Cli.Run(work, "train", "--resume", "run", "--set", "training.max_steps=9", "--allow-data-change");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("continuing on the new data", allowed.Stdout);
        Assert.Equal(tokenizer, Hash("run/tokenizer.json"));                 // the run's own tokenizer, never retrained
        Assert.True(Directory.Exists(Path.Combine(work, "run", "checkpoints", "step-9")));
        Assert.Contains("max_steps: 9", File.ReadAllText(Path.Combine(work, "run", "config.yaml")));
        Assert.Equal(0, Cli.Run(work, "train", "--resume", "run").ExitCode);   // the new data is now the run's
    }

    [Fact]
    public void A_garbage_tokenizer_json_inside_a_run_is_named()
    {
        File.WriteAllText(Path.Combine(work, "run", "tokenizer.json"), "{\"model\": {");
        Assert.Contains("run/tokenizer.json:", OneLine(Cli.Run(work, "train", "--resume", "run", "--set", "training.max_steps=9")));
        Assert.Contains("run/tokenizer.json:", OneLine(Cli.Run(work, "generate", "run", "--input", "abc")));
    }

    [Fact]
    public void A_resume_with_another_model_shape_is_one_short_line_and_the_run_is_untouched()
    {
        var before = Tree("run");
        var result = Cli.Run(work, "train", "--resume", "run", "--set", "model.d_model=32", "--set", "training.max_steps=9");
        var line = OneLine(result);
        Assert.Contains("does not fit this model", line);
        Assert.Contains("tensors of another shape, e.g. ", line);
        Assert.Contains("(--verbose lists all)", line);
        Assert.True(line.Length < 600, $"{line.Length} characters");
        Assert.Equal(before, Tree("run"));
        var verbose = Cli.Run(work, "train", "--resume", "run", "--set", "model.d_model=32", "--set", "training.max_steps=9", "--verbose");
        Assert.Equal(2, verbose.ExitCode);
        Assert.Equal(30, verbose.Stderr.Split("\nshape: ").Length - 1);       // every tensor of another shape
    }

    [Fact]
    public void Evaluate_generate_and_info_take_a_run_directory_for_its_best_checkpoint()
    {
        var evaluation = Cli.Run(work, "evaluate", "run", "--split", "valid", "--json");
        Assert.Equal(0, evaluation.ExitCode);
        Assert.Contains("\"token_accuracy\"", evaluation.Stdout);
        Assert.Equal(0, Cli.Run(work, "generate", "run", "--input", "abc").ExitCode);
        Assert.Contains("trained     step 6", Cli.Run(work, "info", "run").Stdout);
    }

    /// <summary>Mounts a tmpfs under the test folder; null where mounting is not allowed (not root, or a container
    /// without the capability), where the tests that need one cannot run and say so.</summary>
    private string? Tmpfs(string name, string options)
    {
        var mount = Path.Combine(work, "mnt-" + name);
        Directory.CreateDirectory(mount);
        if (Succeeds("mount", "-t", "tmpfs", "-o", options, "tmpfs", mount)) return mount;
        output.WriteLine($"not run: cannot mount a tmpfs here (user {Environment.UserName})");
        return null;
    }

    private static bool Succeeds(string command, params string[] args)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, args) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public void A_read_only_run_directory_is_one_line_and_exit_2()
    {
        if (Tmpfs("ro", "size=16m") is not { } mount) return;              // mount(8) needs root (CI and this machine run as root)
        Copy(Path.Combine(work, "run"), Path.Combine(mount, "run"));
        Assert.True(Succeeds("mount", "-o", "remount,ro", mount));
        var line = OneLine(Cli.Run(work, "train", "--resume", Path.Combine(mount, "run"), "--set", "training.max_steps=9"));
        Assert.Contains("read-only file system", line);
        Assert.Contains("cannot create the run directory: read-only file system",
            OneLine(Cli.Run(work, "train", "pairs.yaml", "--run-dir", Path.Combine(mount, "new"))));
    }

    [Fact]
    public void A_disk_that_fills_up_during_a_checkpoint_keeps_the_previous_one_intact()
    {
        if (Tmpfs("full", "size=300k") is not { } mount) return;
        var run = Path.Combine(mount, "run");
        var result = Cli.Run(work, "train", "pairs.yaml", "--run-dir", run, "--set", "training.max_steps=40", "--set", "checkpoint.every=1");
        var line = OneLine(result);
        Assert.Contains("cannot write the checkpoint (the checkpoints before it are intact): no space left on the device", line);
        var checkpoints = Directory.GetDirectories(Path.Combine(run, "checkpoints"));
        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.False(Path.GetFileName(c).StartsWith('.'), $"a temporary checkpoint was left: {c}"));
        // The last complete checkpoint is whole: evaluate reads it (from a copy, off the full disk).
        var copy = Copy(run, Path.Combine(work, "rescued"));
        Assert.Equal(0, Cli.Run(work, "evaluate", copy, "--split", "valid", "--json").ExitCode);
    }
}
