// Fuzzing, short and seeded: a few hundred mutated inputs per file format (Fuzzing/, shared with the benchmark's
// `fuzz` command, which runs 100,000) must each end in success or a typed one-line error, within the time and
// allocation bounds. A failure names the format and seed: `Transformer.Bench fuzz --repro FORMAT:SEED` replays it.
using Transformer.Bench.Fuzzing;

namespace Transformer.Tests;

public sealed class FuzzTests
{
    private const int Seed = 20_240_601;
    private const int InputsPerFormat = 250;

    public static TheoryData<string> Formats => [.. FuzzFormats.Names];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_files_end_in_success_or_a_typed_one_line_error(string name)
    {
        using var format = FuzzFormats.Create(name);
        var outcomes = Enumerable.Range(0, InputsPerFormat).Select(i => FuzzHarness.Run(format, FuzzHarness.CaseSeed(Seed, name, i))).ToList();
        var failures = outcomes.Where(o => o.Result == FuzzResult.Failure).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {InputsPerFormat} inputs failed:\n{string.Join("\n", failures.Take(10))}");
        // The mutations must reach the readers' error paths, not only the happy one (mail is read leniently: any
        // bytes after a header line are some text).
        if (name != "mail") Assert.Contains(outcomes, o => o.Result == FuzzResult.TypedError);
    }

    /// <summary>The failures the 100,000-input run found (scripts/fuzz.sh, seed 1), kept as regression cases.</summary>
    [Theory]
    [InlineData("yaml", 1280542598)]      // YamlDotNet's ArgumentException ("unsupported event")
    [InlineData("yaml", 533693280)]
    [InlineData("checkpoint", 847427310)] // a tensor name with an escaped line break in the message
    [InlineData("shards", 1038870577)]    // meta.json format_version of another JSON type
    [InlineData("shards", 1721547063)]
    [InlineData("text", 21729754)]        // long lines: allocation in proportion to the input
    [InlineData("jsonl", 1121955856)]
    public void Cases_the_long_run_found_end_in_success_or_a_typed_error(string name, int seed)
    {
        using var format = FuzzFormats.Create(name);
        var outcome = FuzzHarness.Run(format, seed);
        Assert.True(outcome.Result != FuzzResult.Failure, outcome.ToString());
    }

    [Fact]
    public void A_case_is_reproduced_by_its_seed()
    {
        using var format = FuzzFormats.Create("data_record");
        var seed = FuzzHarness.CaseSeed(Seed, "data_record", 7);
        Assert.Equal(FuzzHarness.Run(format, seed), FuzzHarness.Run(format, seed));
        Assert.NotEqual(seed, FuzzHarness.CaseSeed(Seed, "yaml", 7));
    }

    [Fact]
    public void Nesting_100000_deep_is_refused_with_a_typed_error_in_every_json_and_yaml_reader()
    {
        foreach (var name in new[] { "yaml", "tokenizer", "data_record", "jsonl" })
        {
            using var format = FuzzFormats.Create(name);
            var file = format.Files[0];
            File.WriteAllText(file.Path, new string('[', FuzzMutator.NestingDepth));
            var e = Record.Exception(file.Read);
            Assert.True(e is TransformerException, $"{name}: {e?.GetType().Name ?? "no error"}: {e?.Message}");
        }
    }

    [Fact]
    public void A_reader_that_computes_too_long_or_blocks_is_a_hang_but_one_slowed_by_a_busy_machine_is_not()
    {
        using var stop = new ManualResetEventSlim();
        try
        {
            var (spinning, spun) = FuzzHarness.Classify(() => { while (!stop.IsSet) { } }, long.MaxValue, cpuLimit: TimeSpan.FromSeconds(0.3));
            Assert.Equal(FuzzResult.Failure, spinning);
            Assert.Contains("s of CPU) (a hang?)", spun);
            var (blocked, _) = FuzzHarness.Classify(() => stop.Wait(), long.MaxValue, wallLimit: TimeSpan.FromSeconds(0.5));
            Assert.Equal(FuzzResult.Failure, blocked);
        }
        finally
        {
            stop.Set();     // the abandoned readers end
        }
        // Waiting (as a reader does when the machine is busy) costs no CPU: 1 s of it stays under a 0.3 s CPU limit.
        var (waited, problem) = FuzzHarness.Classify(() => Thread.Sleep(1000), long.MaxValue, cpuLimit: TimeSpan.FromSeconds(0.3));
        Assert.True(waited == FuzzResult.Ok, problem);
    }
}
