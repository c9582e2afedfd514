// The one place where a failure becomes what the user sees: one line on stderr and an exit code decided by
// its kind (ErrorKinds), the stack trace only with --verbose. The framework's typed errors carry their own
// line; a file-system failure names the path and the reason; running out of memory is a failed run; anything
// else is a bug in this program, said so plainly.
using System.Runtime.InteropServices;

namespace Transformer.Cli;

internal static class ErrorReport
{
    public static int Report(Exception e, bool verbose, TextWriter stderr)
    {
        var (line, exitCode, details) = Describe(e);
        stderr.WriteLine($"transformer: {line}");
        if (verbose)
        {
            if (details is not null) stderr.WriteLine(details);
            stderr.WriteLine(e);
        }
        return exitCode;
    }

    internal static (string line, int exitCode, string? details) Describe(Exception e)
    {
        switch (e)
        {
            case AggregateException aggregate when aggregate.Flatten().InnerExceptions is [var first, ..]:
                return Describe(first);                           // parallel work: the first failure speaks for all
            case TransformerException t:
                return (t.Message + (t.Details is null ? "" : " (--verbose lists all)"), t.Kind.ExitCode(), t.Details);
            case OperationCanceledException:
                return ("interrupted", ErrorKinds.Interrupted, null);
            case OutOfMemoryException:
            case ExternalException when IsOutOfMemory(e.Message):
                return ($"out of memory: {FirstLine(e.Message)} — lower training.batch_tokens or the model size", ErrorKinds.TrainingFailed, null);
            case IOException or UnauthorizedAccessException:
                return ($"{FirstLine(e.Message.TrimEnd('.'))}: {EnvironmentException.Reason(e)}", ErrorKinds.BadInput, null);
            default:
                return ($"internal error: {FirstLine(e.Message)} — this is a bug in transformer; --verbose prints where it happened",
                    ErrorKinds.TrainingFailed, null);
        }
    }

    /// <summary>libtorch's allocator failures ("DefaultCPUAllocator: not enough memory", "CUDA out of memory").</summary>
    private static bool IsOutOfMemory(string message) =>
        message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
        || message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase)
        || message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first line of a message (native errors append libtorch's C++ backtrace).</summary>
    internal static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}

/// <summary>A bad command-line argument or option: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : TransformerException(message)
{
    public override ErrorKind Kind => ErrorKind.Usage;
}
