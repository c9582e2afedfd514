// A read-only memory-mapped file: the OS pages shard data in on demand and shares it between processes.
// A zero-byte file (an empty split's tokens) is not mapped. Reads are bounds-checked against the length
// seen at open: a file truncated later cannot be caught here (the sizes are checked at open).
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Transformer.Data.Shards;

internal sealed class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;

    public MappedFile(string path)
    {
        Path = path;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        Length = stream.Length;
        if (Length == 0)
        {
            stream.Dispose();
            return;
        }
        map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        view = map.CreateViewAccessor(0, Length, MemoryMappedFileAccess.Read);
    }

    public string Path { get; }
    public long Length { get; }

    /// <summary>Fills <paramref name="destination"/> with the little-endian values starting at <paramref name="byteOffset"/>.</summary>
    public void Read<T>(long byteOffset, Span<T> destination) where T : unmanaged
    {
        var bytes = (long)destination.Length * Marshal.SizeOf<T>();
        if (byteOffset < 0 || byteOffset + bytes > Length)
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"{Path}: bytes {byteOffset}..{byteOffset + bytes} are outside the file's {Length} bytes");
        if (bytes == 0) return;
        view!.SafeMemoryMappedViewHandle.ReadSpan((ulong)(byteOffset + view.PointerOffset), destination);
    }

    public T Read<T>(long byteOffset) where T : unmanaged
    {
        Span<T> one = stackalloc T[1];
        Read(byteOffset, one);
        return one[0];
    }

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }
}
