// One tensor's entry in a safetensors header: its name, dtype, shape and where its bytes lie.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Engine;

public sealed class SafetensorsTensorInfo
{
    internal SafetensorsTensorInfo(string name, ScalarType dtype, long[] shape, long begin, long end, long elementCount)
    {
        Name = name;
        Dtype = dtype;
        Shape = Array.AsReadOnly(shape);
        Begin = begin;
        End = end;
        ElementCount = elementCount;
    }

    public string Name { get; }
    public ScalarType Dtype { get; }
    public IReadOnlyList<long> Shape { get; }

    /// <summary>data_offsets[0]: where the bytes begin, relative to the start of the data section.</summary>
    public long Begin { get; }

    /// <summary>data_offsets[1]: where the bytes end (exclusive), relative to the start of the data section.</summary>
    public long End { get; }

    public long ByteLength => End - Begin;
    public long ElementCount { get; }

    public override string ToString() => $"{Name}: {Dtype.Name()} {SafetensorsHeader.FormatShape(Shape)} [{Begin}, {End})";
}
