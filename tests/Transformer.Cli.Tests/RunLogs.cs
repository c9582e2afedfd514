// What the data-parallel and masked-LM command tests share: a small running text of ten words, training into a
// run directory and reading its metrics.jsonl back, and the comparison of two runs' logged losses.
using System.Text.Json;

namespace Transformer.Cli.Tests;

internal static class RunLogs
{
    /// <summary>Writes train.txt (300 lines) and valid.txt (40 lines) of random sentences over ten words.</summary>
    public static void WriteWordText(string work, int seed)
    {
        var random = new Random(seed);
        string[] words = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "to", "park"];
        string Line() => string.Join(' ', Enumerable.Range(0, random.Next(4, 12)).Select(_ => words[random.Next(words.Length)]));
        File.WriteAllLines(Path.Combine(work, "train.txt"), Enumerable.Range(0, 300).Select(_ => Line()));
        File.WriteAllLines(Path.Combine(work, "valid.txt"), Enumerable.Range(0, 40).Select(_ => Line()));
    }

    /// <summary>Trains into run directory <paramref name="name"/> under <paramref name="work"/> and returns its metrics.jsonl lines.</summary>
    public static List<JsonElement> Train(string work, string name, string[] args)
    {
        var result = Cli.Run(work, ["train", .. args, "--run-dir", name]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        return Metrics(work, name);
    }

    public static List<JsonElement> Metrics(string work, string run) =>
        File.ReadLines(Path.Combine(work, run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>Every logged train and valid loss agrees, within <paramref name="tolerance"/> relative (float summation
    /// order across ranks; 0 for a resumed run against an uninterrupted one).</summary>
    public static void AssertSameLosses(List<JsonElement> one, List<JsonElement> two, double tolerance = 1e-5)
    {
        static IEnumerable<(long, string, double)> Losses(List<JsonElement> lines) => lines.SelectMany(l => l.EnumerateObject()
            .Where(p => p.Name is "loss" or "valid_loss")
            .Select(p => (l.GetProperty("step").GetInt64(), p.Name, p.Value.GetDouble())));
        var expected = Losses(one).ToList();
        var actual = Losses(two).ToList();
        Assert.True(expected.Count >= 8, $"only {expected.Count} losses logged");
        Assert.Equal(expected.Select(e => (e.Item1, e.Item2)), actual.Select(a => (a.Item1, a.Item2)));
        foreach (var (e, a) in expected.Zip(actual))
            Assert.True(Math.Abs(e.Item3 - a.Item3) <= tolerance * Math.Abs(e.Item3), $"step {e.Item1} {e.Item2}: expected {e.Item3}, got {a.Item3}");
    }
}
