// Where a tensor lives: `cpu` or `cuda:N` (c10::DeviceType's values).
using System.Globalization;

namespace Transformer.Torch;

public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

public readonly record struct Device(DeviceType type, int index = -1)
{
    /// <summary>Parses `cpu`, `cuda` or `cuda:N`, as torch.device does.</summary>
    public Device(string spec) : this(Parse(spec).type, Parse(spec).index) { }

    public static Device Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var s = spec.Trim().ToLowerInvariant();
        if (s == "cpu") return new Device(DeviceType.CPU);
        if (s == "cuda") return new Device(DeviceType.CUDA, 0);
        if (s.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new Device(DeviceType.CUDA, index);
        throw new ArgumentException($"unknown device '{spec}': expected cpu, cuda or cuda:N");
    }

    public override string ToString() =>
        type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";
}
