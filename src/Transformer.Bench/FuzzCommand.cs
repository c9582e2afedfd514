// `fuzz`: N mutated inputs per file format through the framework's readers (Fuzzing/), formats in parallel. Each
// outcome must be success or a typed one-line error; failures are listed on stderr with the seed that reproduces
// them (`fuzz --repro FORMAT:SEED`). The last stdout line is the summary JSON scripts/fuzz.sh prints.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Transformer.Bench.Fuzzing;

namespace Transformer.Bench;

internal static class FuzzCommand
{
    private const int FailuresShown = 5;

    public static int Run(string[] args)
    {
        var repro = Value(args, "--repro");
        if (repro is not null) return Reproduce(repro);
        var inputs = (int)Options.Get(args, "--inputs", 100_000);
        var seed = int.Parse(Value(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
        var jobs = (int)Options.Get(args, "--jobs", Environment.ProcessorCount);
        var formats = Value(args, "--formats")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [.. FuzzFormats.Names];

        var clock = Stopwatch.StartNew();
        var results = new ConcurrentDictionary<string, (int[] Counts, List<FuzzCase> Failures)>();
        Parallel.ForEach(formats, new ParallelOptions { MaxDegreeOfParallelism = jobs }, name =>
        {
            using var format = FuzzFormats.Create(name);
            var counts = new int[3];
            var failures = new List<FuzzCase>();
            for (var i = 0; i < inputs; i++)
            {
                var outcome = FuzzHarness.Run(format, FuzzHarness.CaseSeed(seed, name, i));
                counts[(int)outcome.Result]++;
                if (outcome.Result == FuzzResult.Failure) failures.Add(outcome);
                if ((i + 1) % Math.Max(1, inputs / 10) == 0)
                    Console.Error.WriteLine($"{name}: {i + 1:N0}/{inputs:N0} inputs, {counts[2]} failures, {clock.Elapsed.TotalSeconds:F0} s");
            }
            results[name] = (counts, failures);
        });

        var total = 0;
        var summary = new Dictionary<string, object>();
        foreach (var name in formats)
        {
            var (counts, failures) = results[name];
            total += counts[2];
            summary[name] = new { inputs, ok = counts[0], typed_errors = counts[1], failures = counts[2] };
            foreach (var failure in failures.Take(FailuresShown)) Console.Error.WriteLine($"FAILURE {failure}");
            if (failures.Count > FailuresShown) Console.Error.WriteLine($"… and {failures.Count - FailuresShown} more {name} failures");
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["inputs_per_format"] = inputs,
            ["seed"] = seed,
            ["formats"] = summary,
            ["failures"] = total,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
        }));
        return total == 0 ? 0 : 1;
    }

    /// <summary>Runs the one case FORMAT:SEED again and prints it.</summary>
    private static int Reproduce(string repro)
    {
        var colon = repro.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(repro[(colon + 1)..], CultureInfo.InvariantCulture, out var seed))
            throw new ArgumentException("--repro expects FORMAT:SEED, e.g. yaml:12345");
        using var format = FuzzFormats.Create(repro[..colon]);
        var outcome = FuzzHarness.Run(format, seed);
        Console.WriteLine(outcome);
        return outcome.Result == FuzzResult.Failure ? 1 : 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return null;
        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} expects a value");
    }
}
