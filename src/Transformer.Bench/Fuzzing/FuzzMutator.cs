// Turns a valid file into a malformed one, reproducibly from a seeded System.Random: byte-level damage (bit flips,
// inserts, deletes, truncation, splices of two valid files, repeated chunks, invalid UTF-8, emptiness) and
// structure-aware damage (numbers replaced by extremes, values swapped for other JSON/YAML types, nesting
// 100,000 deep, huge integers in binary headers and shard files). Each mutation returns a short description
// that, with the case's seed, says what was done.
using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Transformer.Bench.Fuzzing;

/// <summary>What a file is made of, so the mutator can aim at its structure as well as its bytes.</summary>
internal enum FuzzSyntax
{
    /// <summary>Lines of text (TSV, corpora, mail).</summary>
    Text,
    /// <summary>JSON or YAML: numbers and values are worth replacing, nesting is worth deepening.</summary>
    Structured,
    /// <summary>Packed little-endian integers (shards).</summary>
    Binary,
    /// <summary>safetensors: an 8-byte header length, a JSON header, raw data.</summary>
    Safetensors,
}

internal static partial class FuzzMutator
{
    /// <summary>A file made longer than this by repetition is cut here: large enough to test size handling,
    /// small enough for 100,000 cases.</summary>
    public const int MaxRepeatedBytes = 1 << 20;

    /// <summary>How deep the nesting mutation nests.</summary>
    public const int NestingDepth = 100_000;

    private static readonly string[] ExtremeNumbers =
    [
        "NaN", "nan", ".nan", "Infinity", "-Infinity", ".inf", "1e309", "-1e309", "1e-400", "-1", "-0", "0", "1.5", "2147483647",
        "2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "1099511627776", "18446744073709551615", "99999999999999999999999999999", "0x7fffffff", "1_000",
    ];

    private static readonly string[] ReplacementValues = ["null", "[]", "{}", "\"\"", "0", "-1", "true", "\"x\"", "1e309", "[null]", "{\"\": null}", "~", "\"\\ud800\""];

    private static readonly long[] ExtremeIntegers =
    [
        0, 1, -1, 255, 65_535, int.MaxValue, int.MinValue, uint.MaxValue, 1L << 32, 1L << 40, long.MaxValue, long.MinValue, long.MaxValue - 7,
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0x80], [0xEF, 0xBB, 0xBF], [0x00],
    ];

    private const string Punctuation = "{}[]\":,\n\t\\ -#&*!|>'%@`\0\r";

    private static readonly string[] Nestings = ["[", "{\"a\":", "- ", "{a: ", "[{"];

    /// <summary>One to three mutations of <paramref name="seeds"/>[random] (splices draw the second file from the
    /// seeds too); the result and what was done, e.g. "seed 1; truncate at 530; bit flips at 12, 40".</summary>
    public static (byte[] Bytes, string Description) Mutate(IReadOnlyList<byte[]> seeds, FuzzSyntax syntax, Random random)
    {
        var seedIndex = random.Next(seeds.Count);
        var bytes = seeds[seedIndex];
        var steps = new List<string> { $"seed {seedIndex}" };
        var count = random.Next(4) switch { 0 or 1 => 1, 2 => 2, _ => 3 };
        for (var i = 0; i < count; i++)
        {
            var (mutated, what) = MutateOnce(bytes, seeds, syntax, random);
            bytes = mutated;
            steps.Add(what);
        }
        return (bytes, string.Join("; ", steps));
    }

    private static (byte[], string) MutateOnce(byte[] bytes, IReadOnlyList<byte[]> seeds, FuzzSyntax syntax, Random random)
    {
        // safetensors: half the time the JSON header is mutated and the length prefix made to fit again.
        if (syntax == FuzzSyntax.Safetensors && random.Next(2) == 0 && Header(bytes) is var (header, data))
        {
            var (mutated, what) = MutateOnce(header, [header], FuzzSyntax.Structured, random);
            var framed = new byte[8 + mutated.Length + data.Length];
            BinaryPrimitives.WriteUInt64LittleEndian(framed, (ulong)mutated.Length);
            mutated.CopyTo(framed, 8);
            data.CopyTo(framed.AsSpan(8 + mutated.Length));
            return (framed, $"header: {what}");
        }
        var structured = syntax is FuzzSyntax.Structured;
        var binary = syntax is FuzzSyntax.Binary or FuzzSyntax.Safetensors;
        return random.Next(14) switch
        {
            0 or 1 => BitFlips(bytes, random),
            2 => Insert(bytes, random),
            3 => Delete(bytes, random),
            4 => Truncate(bytes, random),
            5 => Splice(bytes, seeds[random.Next(seeds.Count)], random),
            6 => Repeat(bytes, random),
            7 => InsertInvalidUtf8(bytes, random),
            8 when random.Next(4) == 0 => ([], "empty file"),
            9 or 10 when binary => ExtremeInteger(bytes, random),
            9 or 10 => ReplaceNumber(bytes, random),
            11 when structured => ReplaceValue(bytes, random),
            12 when structured || random.Next(4) == 0 => Nest(bytes, random),
            13 => ReplaceNumber(bytes, random),
            _ => BitFlips(bytes, random),
        };
    }

    private static (byte[], byte[])? Header(byte[] file)
    {
        if (file.Length < 8) return null;
        var length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length > (ulong)(file.Length - 8)) return null;
        return (file[8..(8 + (int)length)], file[(8 + (int)length)..]);
    }

    private static (byte[], string) BitFlips(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return Insert(bytes, random);
        var result = (byte[])bytes.Clone();
        var positions = new List<int>();
        for (var n = 1 + random.Next(8); n > 0; n--)
        {
            var at = random.Next(result.Length);
            result[at] ^= (byte)(1 << random.Next(8));
            positions.Add(at);
        }
        return (result, $"bit flips at {string.Join(", ", positions)}");
    }

    private static (byte[], string) Insert(byte[] bytes, Random random)
    {
        var at = random.Next(bytes.Length + 1);
        byte[] inserted;
        if (random.Next(2) == 0)
        {
            inserted = new byte[1 + random.Next(16)];
            random.NextBytes(inserted);
        }
        else inserted = [(byte)Punctuation[random.Next(Punctuation.Length)]];
        return ([.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)], $"insert {Convert.ToHexString(inserted)} at {at}");
    }

    private static (byte[], string) Delete(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return Insert(bytes, random);
        var at = random.Next(bytes.Length);
        var length = Math.Min(bytes.Length - at, 1 + random.Next(64));
        return ([.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + length)], $"delete {length} bytes at {at}");
    }

    private static (byte[], string) Truncate(byte[] bytes, Random random)
    {
        var at = random.Next(bytes.Length + 1);
        return (bytes[..at], $"truncate at {at}");
    }

    private static (byte[], string) Splice(byte[] first, byte[] second, Random random)
    {
        var cut = random.Next(first.Length + 1);
        var from = random.Next(second.Length + 1);
        return ([.. first.AsSpan(0, cut), .. second.AsSpan(from)], $"splice first[..{cut}] + other[{from}..]");
    }

    private static (byte[], string) Repeat(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return Insert(bytes, random);
        var at = random.Next(bytes.Length);
        var length = Math.Min(bytes.Length - at, 1 + random.Next(256));
        var times = random.Next(3) == 0 ? 1 + random.Next(10_000) : 1 + random.Next(4);
        times = Math.Max(1, Math.Min(times, MaxRepeatedBytes / length));
        var result = new byte[bytes.Length + length * times];
        bytes.AsSpan(0, at + length).CopyTo(result);
        for (var i = 1; i <= times; i++) bytes.AsSpan(at, length).CopyTo(result.AsSpan(at + i * length));
        bytes.AsSpan(at + length).CopyTo(result.AsSpan(at + (times + 1) * length));
        return (result, $"repeat bytes [{at}, {at + length}) {times} more times");
    }

    private static (byte[], string) InsertInvalidUtf8(byte[] bytes, Random random)
    {
        var sequence = InvalidUtf8[random.Next(InvalidUtf8.Length)];
        var at = random.Next(bytes.Length + 1);
        return ([.. bytes.AsSpan(0, at), .. sequence, .. bytes.AsSpan(at)], $"insert {Convert.ToHexString(sequence)} at {at}");
    }

    /// <summary>An aligned 2-, 4- or 8-byte little-endian integer overwritten with an extreme value.</summary>
    private static (byte[], string) ExtremeInteger(byte[] bytes, Random random)
    {
        var size = new[] { 2, 4, 8, 8 }[random.Next(4)];
        if (bytes.Length < size) return BitFlips(bytes, random);
        var at = random.Next(bytes.Length / size) * size;
        var value = ExtremeIntegers[random.Next(ExtremeIntegers.Length)];
        var result = (byte[])bytes.Clone();
        switch (size)
        {
            case 2: BinaryPrimitives.WriteInt16LittleEndian(result.AsSpan(at), (short)value); break;
            case 4: BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(at), (int)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(at), value); break;
        }
        return (result, $"int{size * 8} {value} at {at}");
    }

    private static (byte[], string) ReplaceNumber(byte[] bytes, Random random) =>
        ReplaceMatch(bytes, NumberPattern(), ExtremeNumbers[random.Next(ExtremeNumbers.Length)], "number", random);

    private static (byte[], string) ReplaceValue(byte[] bytes, Random random) =>
        ReplaceMatch(bytes, ValuePattern(), ReplacementValues[random.Next(ReplacementValues.Length)], "value", random);

    // Latin-1 keeps every byte one char, so match positions are byte positions and other bytes survive untouched.
    private static (byte[], string) ReplaceMatch(byte[] bytes, Regex pattern, string replacement, string what, Random random)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var matches = pattern.Matches(text);
        if (matches.Count == 0) return Insert(bytes, random);
        var m = matches[random.Next(matches.Count)];
        var result = string.Concat(text.AsSpan(0, m.Index), replacement, text.AsSpan(m.Index + m.Length));
        return (Encoding.Latin1.GetBytes(result), $"{what} at {m.Index} → {replacement}");
    }

    private static (byte[], string) Nest(byte[] bytes, Random random)
    {
        var opener = Nestings[random.Next(Nestings.Length)];
        var at = random.Next(bytes.Length + 1);
        var nesting = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(opener, NestingDepth)));
        return ([.. bytes.AsSpan(0, at), .. nesting, .. bytes.AsSpan(at)], $"{NestingDepth} × '{opener}' at {at}");
    }

    [GeneratedRegex(@"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""|-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\btrue\b|\bfalse\b|\bnull\b|\[\]|\{\}")]
    private static partial Regex ValuePattern();
}
