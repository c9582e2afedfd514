// `--name value` pairs for the benchmark commands.
namespace Transformer.Bench;

internal static class Options
{
    public static long Get(string[] args, string name, long fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length || !long.TryParse(args[i + 1], out var value) || value <= 0)
            throw new ArgumentException($"{name} expects a positive integer");
        return value;
    }

    public static string Text(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length) throw new ArgumentException($"{name} expects a value");
        return args[i + 1];
    }

    /// <summary>Resident set size of this process in MiB (from /proc/self/statm).</summary>
    public static double RssMiB()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1]) * Environment.SystemPageSize / (1024.0 * 1024.0);
    }

    public static double PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }
}
