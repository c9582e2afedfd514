// Durations as written in configs: whole days, hours, minutes and seconds, largest unit first ("2h", "1h30m", "90s").
using System.Globalization;
using System.Text;

namespace Transformer.Configuration;

internal static class Duration
{
    public const string Description = "a duration such as 90s, 30m, 2h or 1h30m";

    private static readonly (char Unit, long Seconds)[] Units = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        long seconds = 0;
        var position = 0;
        var nextUnit = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            if (position == start || position == text.Length) return false;
            var unit = Array.FindIndex(Units, nextUnit, u => u.Unit == text[position]);
            if (unit < 0) return false;
            if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                return false;
            try { seconds = checked(seconds + count * Units[unit].Seconds); }
            catch (OverflowException) { return false; }
            nextUnit = unit + 1;
            position++;
        }
        if (nextUnit == 0 || seconds > (long)TimeSpan.MaxValue.TotalSeconds) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The shortest form that parses back to the same whole-second duration: 5400 s → "1h30m", 0 → "0s".</summary>
    public static string Format(TimeSpan duration)
    {
        var remaining = (long)duration.TotalSeconds;
        if (remaining == 0) return "0s";
        var text = new StringBuilder();
        foreach (var (unit, seconds) in Units)
        {
            if (remaining < seconds) continue;
            text.Append(CultureInfo.InvariantCulture, $"{remaining / seconds}{unit}");
            remaining %= seconds;
        }
        return text.ToString();
    }
}
