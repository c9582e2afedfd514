// Unicode normalization forms NFC, NFD, NFKC and NFKD (UAX #15), on our own tables
// (UnicodeNormalizationData.cs): the project runs with InvariantGlobalization, where string.Normalize
// silently returns its input unchanged. Lone surrogates become U+FFFD.
using System.IO.Compression;
using System.Text;

namespace Transformer.Text;

internal static class UnicodeNormalization
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    // Per BMP char: what can change it. A text made only of chars without the relevant bits is normalized.
    private const byte HasCanonical = 1, HasCompatibility = 2, NonStarter = 4, ComposesWithPrevious = 8;

    private static readonly Lazy<Tables> Data = new(Load);

    public static string Normalize(string text, bool compose, bool compatibility)
    {
        var tables = Data.Value;
        var mask = (byte)(HasCanonical | NonStarter | ComposesWithPrevious | (compatibility ? HasCompatibility : 0));
        var stable = true;
        foreach (var c in text)
        {
            if (char.IsSurrogate(c) || (tables.BmpFlags[c] & mask) != 0)
            {
                stable = false;
                break;
            }
        }
        if (stable) return text;

        var buffer = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes()) Decompose(tables, rune.Value, compatibility, buffer);
        var cps = buffer.ToArray().AsSpan();
        ReorderCanonically(tables, cps);
        var length = compose ? Compose(tables, cps) : cps.Length;

        var result = new StringBuilder(length + 4);
        foreach (var cp in cps[..length]) result.Append(new Rune(cp).ToString());
        return result.ToString();
    }

    private static void Decompose(Tables tables, int cp, bool compatibility, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            var s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) output.Add(TBase + s % TCount);
            return;
        }
        if (compatibility && tables.Compatibility.TryGetValue(cp, out var full)
            || tables.Canonical.TryGetValue(cp, out full))
            output.AddRange(full);
        else
            output.Add(cp);
    }

    // Stable sort of each run of non-starters by combining class (insertion sort: runs are short).
    private static void ReorderCanonically(Tables tables, Span<int> cps)
    {
        for (var i = 1; i < cps.Length; i++)
        {
            var ccc = tables.CombiningClass(cps[i]);
            if (ccc == 0) continue;
            var cp = cps[i];
            var j = i;
            while (j > 0 && tables.CombiningClass(cps[j - 1]) > ccc)
            {
                cps[j] = cps[j - 1];
                j--;
            }
            cps[j] = cp;
        }
    }

    // The canonical composition algorithm of UAX #15; returns the new length.
    private static int Compose(Tables tables, Span<int> cps)
    {
        if (cps.Length == 0) return 0;
        var starterPos = 0;
        var starter = cps[0];
        int lastClass = tables.CombiningClass(starter);
        if (lastClass != 0) lastClass = 256;   // a leading non-starter blocks everything after it
        var write = 1;
        for (var read = 1; read < cps.Length; read++)
        {
            var cp = cps[read];
            int cls = tables.CombiningClass(cp);
            var composite = ComposePair(tables, starter, cp);
            if (composite >= 0 && (lastClass < cls || lastClass == 0))
            {
                cps[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (cls == 0)
            {
                starterPos = write;
                starter = cp;
            }
            lastClass = cls;
            cps[write++] = cp;
        }
        return write;
    }

    private static int ComposePair(Tables tables, int first, int second)
    {
        if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0
            && second > TBase && second < TBase + TCount)
            return first + (second - TBase);
        return tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out var composite) ? composite : -1;
    }

    private sealed class Tables
    {
        public readonly byte[] BmpFlags = new byte[0x10000];
        public readonly byte[] BmpClass = new byte[0x10000];
        public readonly Dictionary<int, byte> SupplementaryClass = new();
        public readonly Dictionary<int, int[]> Canonical = new();
        public readonly Dictionary<int, int[]> Compatibility = new();
        public readonly Dictionary<long, int> Compositions = new();

        public byte CombiningClass(int cp) =>
            cp < 0x10000 ? BmpClass[cp] : SupplementaryClass.GetValueOrDefault(cp);
    }

    private static Tables Load()
    {
        var t = new Tables();
        using var input = new DeflateStream(
            new MemoryStream(Convert.FromBase64String(UnicodeNormalizationData.Deflated)), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        input.CopyTo(bytes);
        var data = bytes.ToArray();
        var at = 0;
        int U16() { var v = data[at] | data[at + 1] << 8; at += 2; return v; }
        int Cp() { var v = data[at] | data[at + 1] << 8 | data[at + 2] << 16; at += 3; return v; }

        for (int n = U16(), i = 0; i < n; i++)
        {
            int first = Cp(), last = Cp();
            var ccc = data[at++];
            for (var cp = first; cp <= last; cp++)
            {
                if (cp < 0x10000)
                {
                    t.BmpClass[cp] = ccc;
                    t.BmpFlags[cp] |= NonStarter;
                }
                else t.SupplementaryClass[cp] = ccc;
            }
        }
        for (int n = U16(), i = 0; i < n; i++)
        {
            var cp = Cp();
            var flags = data[at++];
            var full = new int[flags & 0x7F];
            for (var k = 0; k < full.Length; k++) full[k] = Cp();
            var compatibility = (flags & 0x80) != 0;
            (compatibility ? t.Compatibility : t.Canonical)[cp] = full;
            if (cp < 0x10000) t.BmpFlags[cp] |= compatibility ? HasCompatibility : HasCanonical;
        }
        for (int n = U16(), i = 0; i < n; i++)
        {
            int first = Cp(), second = Cp(), composite = Cp();
            t.Compositions[((long)first << 21) | (uint)second] = composite;
            if (second < 0x10000) t.BmpFlags[second] |= ComposesWithPrevious;
        }
        for (var cp = SBase; cp < SBase + SCount; cp++) t.BmpFlags[cp] |= HasCanonical;
        for (var cp = VBase; cp < VBase + VCount; cp++) t.BmpFlags[cp] |= ComposesWithPrevious;
        for (var cp = TBase + 1; cp < TBase + TCount; cp++) t.BmpFlags[cp] |= ComposesWithPrevious;
        return t;
    }
}
