// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
//   8-byte little-endian header length N | N bytes of UTF-8 JSON | raw little-endian tensor data.
//
//   Safetensors.Save("model.safetensors", model.named_parameters(), metadata);
//   using var file = Safetensors.Load("model.safetensors");
//   var w = file["encoder.weight"];
//
// A malformed file is rejected with a SafetensorsFormatException before any tensor is kept.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public static class Safetensors
{
    /// <summary>Writes the tensors (and optional metadata) to <paramref name="path"/> atomically: the data goes to a
    /// temporary file in the same directory, is flushed to disk, then renamed over the target, so the target is
    /// either left as it was or replaced whole. Names must be non-empty, unique and not "__metadata__".</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var plan = SafetensorsWriter.Prepare(tensors, metadata);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafetensorsWriter.Write(stream, plan);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes the tensors to <paramref name="stream"/> at its current position. Nothing is written when
    /// the arguments are invalid.</summary>
    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(stream, SafetensorsWriter.Prepare(tensors, metadata));
    }

    /// <summary>The bytes of a safetensors file holding the tensors (for files under 2 GB; otherwise use Save).</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var plan = SafetensorsWriter.Prepare(tensors, metadata);
        if (plan.TotalLength > Array.MaxLength)
            throw new InvalidOperationException($"{plan.TotalLength} bytes do not fit in one array; save to a file or stream instead");
        var bytes = new byte[plan.TotalLength];
        using var stream = new MemoryStream(bytes);
        SafetensorsWriter.Write(stream, plan);
        return bytes;
    }

    /// <summary>Loads every tensor of the file onto <paramref name="device"/> (default CPU). Tensors are in file order
    /// (by data_offsets). Dispose the result to free them.</summary>
    public static SafetensorsFile Load(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return Load(stream, device, path);
    }

    /// <summary>Loads from a readable, seekable stream, starting at its current position; <paramref name="name"/>
    /// names the source in error messages.</summary>
    public static SafetensorsFile Load(Stream stream, Device? device = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var source = name ?? "<stream>";
        var header = SafetensorsReader.ReadHeader(stream, source);
        return SafetensorsReader.ReadTensors(stream, header, device, source);
    }

    /// <summary>Loads from the bytes of a whole safetensors file.</summary>
    public static SafetensorsFile Load(byte[] data, Device? device = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return Load(stream, device, name ?? "<bytes>");
    }

    /// <summary>Reads and validates only the header: names, dtypes, shapes, offsets and metadata; no tensor data is read.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return SafetensorsReader.ReadHeader(stream, path);
    }

    /// <summary>Reads and validates only the header from a readable, seekable stream, starting at its current position.</summary>
    public static SafetensorsHeader ReadHeader(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return SafetensorsReader.ReadHeader(stream, name ?? "<stream>");
    }

    // Unbuffered: the reader asks for whole tensors (or 8 MB pieces) at a time.
    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
}
