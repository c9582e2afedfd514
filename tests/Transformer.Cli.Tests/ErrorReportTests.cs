// The one place where failures become a line and an exit code: each kind of failure, including those no user
// input can cause (libtorch out of memory, a bug), is checked here without starting a process.
using System.Runtime.InteropServices;
using Transformer.Data;
using Transformer.Training.Checkpoints;

namespace Transformer.Cli.Tests;

public sealed class ErrorReportTests
{
    private static (string line, int code) Report(Exception e, bool verbose = false)
    {
        var stderr = new StringWriter();
        var code = ErrorReport.Report(e, verbose, stderr);
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!verbose) Assert.Single(lines);
        return (lines[0], code);
    }

    [Fact]
    public void A_typed_error_prints_its_message_with_the_exit_code_of_its_kind()
    {
        Assert.Equal(("transformer: x.yaml:3: model.d_model: 7 — expected a multiple of heads", 2),
            Report(new ConfigException("model.d_model", 7, "a multiple of heads", "x.yaml:3")));
        Assert.Equal(2, Report(new DataFormatException("a.tsv:4", "one column", "two tab-separated columns")).code);
        Assert.Equal(1, Report(new Transformer.TrainingException("parameter w is not finite")).code);
    }

    [Fact]
    public void A_summarised_error_points_at_verbose_which_prints_the_whole_list()
    {
        var e = new CheckpointException("m.safetensors", "2 tensors missing, e.g. a, b") { Details = "missing: a\nmissing: b" };
        Assert.EndsWith("(--verbose lists all)", Report(e).line);
        var stderr = new StringWriter();
        ErrorReport.Report(e, verbose: true, stderr);
        Assert.Contains("missing: b", stderr.ToString());
    }

    [Fact]
    public void Libtorch_running_out_of_memory_is_a_failed_run_exit_1()
    {
        var native = new ExternalException("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough memory: you tried to allocate 40000000000 bytes.\nException raised from …");
        var (line, code) = Report(native);
        Assert.Equal(1, code);
        Assert.StartsWith("transformer: out of memory: [enforce fail at alloc_cpu.cpp:117]", line);
        Assert.EndsWith("lower training.batch_tokens or the model size", line);
    }

    [Fact]
    public void A_file_system_error_is_exit_2_without_dotnet_names()
    {
        var (line, code) = Report(new UnauthorizedAccessException("Access to the path '/runs/x/metrics.jsonl' is denied."));
        Assert.Equal(2, code);
        Assert.Equal("transformer: Access to the path '/runs/x/metrics.jsonl' is denied: permission denied or a read-only file system", line);
    }

    [Fact]
    public void Parallel_failures_report_the_first_and_an_interrupt_exits_130()
    {
        var aggregate = new AggregateException(new ConfigException("k", 1, "2"), new InvalidOperationException("other"));
        Assert.Equal(("transformer: k: 1 — expected 2", 2), Report(aggregate));
        Assert.Equal(130, Report(new OperationCanceledException()).code);
    }

    [Fact]
    public void Anything_else_is_called_a_bug_exit_1_with_no_exception_name_unless_verbose()
    {
        var (line, code) = Report(new NullReferenceException("Object reference not set to an instance of an object."));
        Assert.Equal(1, code);
        Assert.Equal("transformer: internal error: Object reference not set to an instance of an object. — this is a bug in transformer; --verbose prints where it happened", line);
        Assert.DoesNotContain("Exception", line);
    }
}
