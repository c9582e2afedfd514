// Data-parallel training through Open MPI: two ranks on this host train exactly what one process trains
// (dropout off), for an encoder-decoder and a decoder-only model. Needs mpirun (scripts/test.sh installs
// openmpi-bin); without it the tests say so and fail rather than pass unseen.
using System.Text.Json;

namespace Transformer.Cli.Tests;

public sealed class DataParallelTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-mpi-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static readonly string[] NoDropout = ["--set", "model.dropout=0", "--set", "training.max_steps=8"];

    [Fact]
    public void Two_ranks_train_the_reversal_model_to_the_loss_sequence_of_one_process()
    {
        var one = RunLogs.Train(work, "one", [.. Cli.TinyReversal, .. NoDropout]);
        // As from a shell with a terminal type, its output going to a log: the log holds no terminal sequences.
        var two = Cli.RunWith(new Dictionary<string, string> { ["TERM"] = "xterm" }, work,
            ["train", .. Cli.TinyReversal, .. NoDropout, "--nproc", "2", "--run-dir", "two"]);
        Assert.True(two.ExitCode == 0, $"exit {two.ExitCode}: {two.Stderr}");
        Assert.DoesNotContain('\u001b', two.Stdout);
        Assert.Contains("step 8/8", two.Stdout);
        RunLogs.AssertSameLosses(one, RunLogs.Metrics(work, "two"));
    }

    [Fact]
    public void Two_ranks_train_a_decoder_only_model_to_the_loss_sequence_of_one_process()
    {
        RunLogs.WriteWordText(work, seed: 3);
        File.WriteAllText(Path.Combine(work, "lm.yaml"), """
            name: lm
            model: { kind: decoder_only, vocab_size: 20, d_model: 16, heads: 2, d_ff: 32, layers: 2, max_positions: 16, dropout: 0 }
            training: { max_steps: 8, batch_tokens: 96, eval_every: 4, log_every: 1, schedule: { name: constant, warmup_steps: 0 } }
            checkpoint: { every: 4 }
            data: { kind: text, train: train.txt, valid: valid.txt, prepared_dir: prepared }
            tokenizer: { kind: word, min_frequency: 1 }
            """);
        var one = RunLogs.Train(work, "one", ["lm.yaml"]);
        var two = RunLogs.Train(work, "two", ["lm.yaml", "--nproc", "2"]);
        RunLogs.AssertSameLosses(one, two);
    }

    [Theory]
    [InlineData("1", "2")]
    [InlineData("2", "1")]
    public void A_run_resumed_with_another_number_of_ranks_continues_the_uninterrupted_losses(string first, string then)
    {
        // A schedule that does not depend on max_steps, so that the first piece's steps are the whole run's.
        string[] constant = ["--set", "training.schedule.name=constant", "--set", "training.schedule.warmup_steps=0"];
        var whole = RunLogs.Train(work, "whole", [.. Cli.TinyReversal, .. NoDropout, .. constant]);
        RunLogs.Train(work, "pieces", [.. Cli.TinyReversal, .. NoDropout, .. constant, "--set", "training.max_steps=4", "--nproc", first]);
        var resumed = Cli.Run(work, "train", "--resume", "pieces", "--set", "training.max_steps=8", "--nproc", then);
        Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}: {resumed.Stderr}");
        RunLogs.AssertSameLosses(whole, RunLogs.Metrics(work, "pieces"));
    }

    [Fact]
    public void A_bad_nproc_is_one_line_with_exit_code_2()
    {
        var result = Cli.Run(work, "train", "--nproc", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--nproc 0", Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_killed_rank_stops_the_others_promptly_with_one_line_naming_it(int victim)
    {
        var run = Path.Combine(work, "killed");
        using var process = Cli.Start(work, ["train", "--run-dir", run, "--nproc", "2", .. Cli.TinyReversal, "--set", "training.max_steps=100000"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Directory.Exists(Path.Combine(run, "checkpoints", "step-4")) && DateTime.UtcNow < deadline && !process.HasExited)
            Thread.Sleep(50);
        var rank = Ranks(run)[victim];
        using (var kill = System.Diagnostics.Process.Start("kill", ["-9", rank.ToString()])) kill.WaitForExit();
        var killed = DateTime.UtcNow;
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the other rank did not stop within 60 s; stderr: {await stderr}");
        }
        var waited = DateTime.UtcNow - killed;
        Assert.True(waited < TimeSpan.FromSeconds(30), $"stopping took {waited.TotalSeconds:F1} s");
        var errors = await stderr;
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}: {errors}");
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"stderr is not one line: {errors}");
        var line = lines[0];
        Assert.Equal($"transformer: rank {victim} of 2 was lost (killed by signal 9); the other ranks were stopped", line);
        await stdout;
    }

    [Fact]
    public async Task Ctrl_C_under_nproc_saves_a_checkpoint_exits_130_and_the_run_resumes()
    {
        var run = Path.Combine(work, "interrupted");
        using var process = Cli.Start(work, interruptible: true, ["train", "--run-dir", run, "--nproc", "2", .. Cli.TinyReversal, "--set", "training.max_steps=100000"]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Directory.Exists(Path.Combine(run, "checkpoints", "step-4")) && DateTime.UtcNow < deadline && !process.HasExited)
            Thread.Sleep(50);
        // The terminal's Ctrl+C reaches the launcher alone (mpirun runs in a session of its own).
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the job did not stop within 60 s of SIGINT; stderr: {await stderr}");
        }
        var errors = await stderr;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {errors}");
        Assert.Equal("transformer: SIGINT: the ranks finish the step and save a checkpoint (again to stop them at once)",
            Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var output = await stdout;
        Assert.Contains("interrupted at step", output);
        var step = long.Parse(output.Split("interrupted at step ")[1].Split(';')[0]);
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", $"step-{step}")), $"no checkpoint for step {step}");
        Assert.Empty(Ranks(run, expected: 0));   // no rank left behind

        var resumed = Cli.Run(work, "train", "--resume", "interrupted", "--set", $"training.max_steps={step + 2}", "--nproc", "2");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", $"step-{step + 2}")), resumed.Stdout);
    }

    [Fact]
    public void Nproc_without_mpirun_on_the_path_is_one_line_saying_what_to_install_with_exit_code_2()
    {
        var result = Cli.RunWith(new Dictionary<string, string> { ["PATH"] = work }, work, "train", "--nproc", "2");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mpirun", line);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", line);
        Assert.False(Directory.Exists(Path.Combine(work, "runs")));
    }

    /// <summary>The process ids of the ranks training into <paramref name="run"/>, by rank (Open MPI's
    /// OMPI_COMM_WORLD_RANK in their environment).</summary>
    private static int[] Ranks(string run, int expected = 2)
    {
        var ranks = new SortedDictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(run, StringComparison.Ordinal)) continue;
                var rank = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0')
                    .FirstOrDefault(v => v.StartsWith("OMPI_COMM_WORLD_RANK=", StringComparison.Ordinal));
                if (rank is not null) ranks[int.Parse(rank.Split('=')[1])] = pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Assert.Equal(expected, ranks.Count);
        return [.. ranks.Values];
    }



}
