// A raw corpus file that is missing or not in the expected format: names the file, the line when there
// is one, and what was expected, so a bad download reads as a sentence, not a stack trace.
namespace Transformer.Data.Corpora;

public sealed class CorpusFormatException : TransformerException
{
    public CorpusFormatException(string file, int? line, string problem, Exception? inner = null)
        : base($"{file}{(line is null ? "" : ":" + line)}: {problem}", inner)
    {
        FilePath = file;
        Line = line;
        Problem = problem;
    }

    public override ErrorKind Kind => ErrorKind.Data;

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line at fault, when the problem is on one line.</summary>
    public int? Line { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    /// <summary>Throws when <paramref name="path"/> is not a file; <paramref name="what"/> says what it should hold.</summary>
    public static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
            throw new CorpusFormatException(path, null, $"missing — expected {what}");
    }
}
