// A temporary folder for tokenizer tests' files, deleted on dispose; and the tiny GPT-2-format fixture.
using Transformer.Text;

namespace Transformer.Tests;

internal sealed class TokenizerTestFiles : IDisposable
{
    public TokenizerTestFiles() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"tokenizer-tests-{Guid.NewGuid():N}");

    public string Write(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>
    /// A hand-written GPT-2 vocabulary: the characters of "the cat's hat", seven merges and &lt;|endoftext|&gt;.
    /// "Ġ" is GPT-2's spelling of the space byte.
    /// </summary>
    public const string TinyVocabJson = """
        {"t": 0, "h": 1, "e": 2, "Ġ": 3, "c": 4, "a": 5, "'": 6, "s": 7, "th": 8, "the": 9, "at": 10,
         "Ġc": 11, "Ġcat": 12, "'s": 13, "Ġh": 14, "<|endoftext|>": 15}
        """;

    public const string TinyMerges = "t h\na t\nth e\nĠ c\nĠc at\n' s\nĠ h\n";

    public (string Vocab, string Merges) WriteTinyGpt2(bool versionHeader = true) =>
        (Write("vocab.json", TinyVocabJson), Write("merges.txt", (versionHeader ? "#version: 0.2\n" : "") + TinyMerges));
}
