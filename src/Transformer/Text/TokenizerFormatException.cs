// A tokenizer file that cannot be read: names the file (with a line or a JSON path where known) and the problem.
namespace Transformer.Text;

public sealed class TokenizerFormatException : TransformerException
{
    public TokenizerFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    public override ErrorKind Kind => ErrorKind.Tokenizer;

    /// <summary>The file, as the caller named it, with ":line" or ":line:column" appended where known.</summary>
    public string File { get; }

    public string Problem { get; }

    internal static TokenizerFormatException At(string file, string jsonPath, string problem) =>
        new(file, $"{jsonPath}: {problem}");

    /// <summary>Text that is not JSON: file:line:column and System.Text.Json's reason.</summary>
    internal static TokenizerFormatException InvalidJson(string file, System.Text.Json.JsonException e)
    {
        return new TokenizerFormatException($"{file}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}",
            $"invalid JSON: {ErrorText.Json(e, position: false)}", e);
    }
}
