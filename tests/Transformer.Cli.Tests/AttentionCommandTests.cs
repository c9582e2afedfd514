// `transformer attention` on a small trained run: PNG heatmaps, the HTML page, the JSON weights, one-line errors.
using System.Text.Json;

namespace Transformer.Cli.Tests;

public sealed class AttentionCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cli-attention-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Attention_writes_a_png_per_layer_and_kind_and_a_self_contained_page_and_prints_the_weights_as_json()
    {
        var run = Path.Combine(work, "run");
        Assert.Equal(0, Cli.Run(work, ["train", "--run-dir", run, .. Cli.TinyReversal, "--set", "training.max_steps=4"]).ExitCode);

        var drawn = Cli.Run(work, "attention", run, "--input", "abc");
        Assert.Equal(0, drawn.ExitCode);
        var directory = Path.Combine(run, "attention");
        string[] expected = ["decoder-layer0-cross.png", "decoder-layer0-self.png", "encoder-layer0-self.png"];
        Assert.Equal(expected, Directory.GetFiles(directory, "*.png").Select(Path.GetFileName).Order());
        foreach (var png in expected)
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, File.ReadAllBytes(Path.Combine(directory, png))[..8]);
        var page = File.ReadAllText(Path.Combine(directory, "attention.html"));
        Assert.Contains("<canvas>", page);
        Assert.DoesNotContain("src=", page);                                       // nothing outside the page

        var printed = Cli.Run(work, "attention", run, "--input", "abc", "--target", "cba", "--json");
        Assert.Equal(0, printed.ExitCode);
        using var json = JsonDocument.Parse(printed.Stdout);
        Assert.Equal(["a", "b", "c"], json.RootElement.GetProperty("tokens_source").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["<s>", "c", "b", "a"], json.RootElement.GetProperty("tokens_target").EnumerateArray().Select(t => t.GetString()));
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(["encoder self", "decoder self", "decoder cross"], layers.Select(l => $"{l.GetProperty("stack")} {l.GetProperty("kind")}"));
        var cross = layers[2];
        Assert.Equal(2, cross.GetProperty("heads").GetArrayLength());
        foreach (var row in cross.GetProperty("mean").EnumerateArray())
        {
            Assert.Equal(3, row.GetArrayLength());                                 // target queries × source keys
            Assert.Equal(1.0, row.EnumerateArray().Sum(w => w.GetDouble()), 5);
        }
    }

    [Theory]
    [InlineData("no-such-run", "abc", "no such checkpoint or run directory")]
    [InlineData("no-such-run", "  ", "--input: empty input")]
    public void A_bad_checkpoint_or_input_is_one_line_with_exit_code_2(string checkpoint, string input, string message)
    {
        var result = Cli.Run(work, "attention", checkpoint, "--input", input);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Attention_has_help()
    {
        var result = Cli.Run(work, "attention", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--target", result.Stdout);
    }
}
