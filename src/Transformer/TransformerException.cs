// The framework's user-facing errors. Each says in one line what is wrong — the file with its line, the
// config key or the argument, what was expected — and belongs to one kind, which alone decides the
// command's exit code (ErrorKinds.ExitCode). Anything else reaching the command line is a bug.
namespace Transformer;

/// <summary>What went wrong, as far as the user is concerned.</summary>
public enum ErrorKind
{
    /// <summary>A command-line argument or option.</summary>
    Usage,
    /// <summary>An experiment file, an override or a resolved config value.</summary>
    Config,
    /// <summary>Training data: sources, corpora, prepared shards.</summary>
    Data,
    /// <summary>A tokenizer file or a tokenizer setting.</summary>
    Tokenizer,
    /// <summary>A checkpoint or a weights file.</summary>
    Checkpoint,
    /// <summary>The machine: the engine cannot load, a directory cannot be written, the disk is full.</summary>
    Environment,
    /// <summary>A run that started and then failed (non-finite values, out of memory).</summary>
    Training,
}

/// <remarks>The message is kept to one line of at most <see cref="MaxMessageChars"/> characters (ErrorText.OneLine):
/// messages quote names and text from the files they are about, which may hold line breaks or run to megabytes.</remarks>
public abstract class TransformerException(string message, Exception? inner = null)
    : Exception(ErrorText.OneLine(message, MaxMessageChars), inner)
{
    public const int MaxMessageChars = 1000;

    public abstract ErrorKind Kind { get; }

    /// <summary>What --verbose prints after the one line: the full list a message summarised, for instance.</summary>
    public string? Details { get; init; }
}

public static class ErrorKinds
{
    /// <summary>Exit code of a run that a training failure stopped.</summary>
    public const int TrainingFailed = 1;
    /// <summary>Exit code of bad usage, config, data, tokenizer, checkpoint or environment.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code after an interrupt (Ctrl+C / SIGTERM) that saved the run: 128 + SIGINT, as shells expect.</summary>
    public const int Interrupted = 130;

    public static int ExitCode(this ErrorKind kind) => kind == ErrorKind.Training ? TrainingFailed : BadInput;
}

/// <summary>The machine cannot do what was asked: a directory that cannot be created or written, a full disk.</summary>
public sealed class EnvironmentException(string message, Exception? inner = null) : TransformerException(message, inner)
{
    public override ErrorKind Kind => ErrorKind.Environment;

    /// <summary>A file-system failure at <paramref name="path"/> while doing <paramref name="what"/>, as one line
    /// without .NET's wording ("Access to the path … is denied").</summary>
    public static EnvironmentException FileSystem(string path, string what, Exception e) => new($"{path}: cannot {what}: {Reason(e, path)}", e);

    /// <summary>The operating system's reason for an I/O failure at <paramref name="path"/>, in a few words.</summary>
    public static string Reason(Exception e, string? path = null) => e switch
    {
        IOException when path is not null && FileAncestor(path) is { } file => $"{file} is a file, not a directory",
        UnauthorizedAccessException => "permission denied or a read-only file system",
        DirectoryNotFoundException => "a parent directory does not exist",
        FileNotFoundException => "no such file",
        PathTooLongException => "the path is too long",
        IOException io when IsDiskFull(io) => "no space left on the device",
        IOException io when io.HResult == 30 || io.Message.Contains("Read-only file system", StringComparison.Ordinal) => "read-only file system",
        IOException io when io.Message.Contains("Not a directory", StringComparison.Ordinal) => "a part of the path is a file, not a directory",
        _ => e.Message,
    };

    private static string? FileAncestor(string path)
    {
        for (var at = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
            if (File.Exists(at)) return at;
        return null;
    }

    /// <summary>ENOSPC (28) or EDQUOT (122), as .NET reports them on Linux and macOS; ERROR_DISK_FULL on Windows.</summary>
    public static bool IsDiskFull(IOException e) =>
        (e.HResult & 0xFFFF) is 28 or 122 or 112 || e.Message.Contains("No space left", StringComparison.Ordinal);
}

/// <summary>A run that failed while training: the weights or gradients went non-finite, memory ran out.</summary>
public sealed class TrainingException(string message, Exception? inner = null) : TransformerException(message, inner)
{
    public override ErrorKind Kind => ErrorKind.Training;
}
