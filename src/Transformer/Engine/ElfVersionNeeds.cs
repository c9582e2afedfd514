// Reads and rewrites the version requirements (.gnu.version_r) of an ELF64 little-endian shared
// library: just enough to let TorchSharp's native library load on a libstdc++ older than GCC 13's.
using System.Buffers.Binary;
using System.Text;

namespace Transformer.Engine;

/// <summary>One version a library requires from one of its dependencies (an Elf64_Vernaux entry).</summary>
/// <param name="File">The dependency, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Index">The version index that symbols requiring it carry in .gnu.version.</param>
/// <param name="Offset">Where the entry lies in the file.</param>
public sealed record VersionNeed(string File, string Name, int Index, int Offset);

public static class ElfVersionNeeds
{
    private const uint VerneedSection = 0x6ffffffe;   // SHT_GNU_verneed
    private const uint VersymSection = 0x6fffffff;    // SHT_GNU_versym
    private const uint DynsymSection = 11;            // SHT_DYNSYM

    /// <summary>Every version requirement of <paramref name="elf"/>, in file order.</summary>
    public static IReadOnlyList<VersionNeed> Read(ReadOnlySpan<byte> elf)
    {
        var needs = new List<VersionNeed>();
        foreach (var section in Sections(elf))
        {
            if (section.Type != VerneedSection) continue;
            var strings = Sections(elf)[(int)section.Link].Offset;
            var entry = (int)section.Offset;
            for (var n = 0; n < section.Info; n++)
            {
                var count = U16(elf, entry + 2);
                var file = Str(elf, strings + U32(elf, entry + 4));
                var aux = entry + (int)U32(elf, entry + 8);
                for (var a = 0; a < count; a++)
                {
                    needs.Add(new VersionNeed(file, Str(elf, strings + U32(elf, aux + 8)), U16(elf, aux + 6) & 0x7fff, aux));
                    aux += (int)U32(elf, aux + 12);
                }
                entry += (int)U32(elf, entry + 12);
            }
        }
        return needs;
    }

    /// <summary>Names of the dynamic symbols bound to version index <paramref name="index"/>.</summary>
    public static IReadOnlyList<string> SymbolsOfVersion(ReadOnlySpan<byte> elf, int index)
    {
        var sections = Sections(elf);
        var versym = sections.FirstOrDefault(s => s.Type == VersymSection);
        var dynsym = sections.FirstOrDefault(s => s.Type == DynsymSection);
        if (versym is null || dynsym is null) return [];
        var strings = sections[(int)dynsym.Link].Offset;
        var symbols = new List<string>();
        for (var i = 0; i < (int)(dynsym.Size / 24); i++)
            if ((U16(elf, (int)versym.Offset + 2 * i) & 0x7fff) == index)
                symbols.Add(Str(elf, strings + U32(elf, (int)dynsym.Offset + 24 * i)));
        return symbols;
    }

    /// <summary>Makes requirement <paramref name="need"/> ask for <paramref name="replacement"/> instead, a version the
    /// same dependency already satisfies: the entry's name now points at the replacement's string and its hash is
    /// the replacement's. No string or size in the file changes.</summary>
    public static void Redirect(Span<byte> elf, VersionNeed need, VersionNeed replacement)
    {
        if (need.File != replacement.File)
            throw new ArgumentException($"{need.Name} is required from {need.File}, {replacement.Name} from {replacement.File}");
        BinaryPrimitives.WriteUInt32LittleEndian(elf[need.Offset..], Hash(replacement.Name));
        BinaryPrimitives.WriteUInt32LittleEndian(elf[(need.Offset + 8)..], U32(elf, replacement.Offset + 8));
    }

    /// <summary>The System V ELF hash, which vna_hash holds.</summary>
    public static uint Hash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            var g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static List<Section> Sections(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
            throw new FormatException("not a 64-bit little-endian ELF file");
        var offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        var size = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        if (offset <= 0 || offset + (long)size * count > elf.Length || size < 64)
            throw new FormatException("ELF section headers lie outside the file");
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var h = elf[(int)(offset + i * size)..];
            sections.Add(new Section(U32(h, 4), (long)BinaryPrimitives.ReadUInt64LittleEndian(h[0x18..]),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(h[0x20..]), U32(h, 0x28), U32(h, 0x2C)));
        }
        return sections;
    }

    private static int U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b[(int)at..]);

    private static string Str(ReadOnlySpan<byte> b, long at)
    {
        var s = b[(int)at..];
        return Encoding.ASCII.GetString(s[..s.IndexOf((byte)0)]);
    }
}
