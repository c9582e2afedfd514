// Row-major (B, T) buffers for one batch: token ids filled with the pad id and a padding mask (true at
// padding) that Place clears where real tokens go.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Data.Batching;

internal sealed class PaddedRows
{
    private readonly long[] ids;
    private readonly bool[] padding;

    public PaddedRows(int rows, int width, long padId)
    {
        Rows = rows;
        Width = width;
        ids = new long[rows * width];
        padding = new bool[rows * width];
        Array.Fill(ids, padId);
        Array.Fill(padding, true);
    }

    public int Rows { get; }
    public int Width { get; }

    /// <summary>Row <paramref name="row"/>'s real tokens [0, length), to be filled by the caller.</summary>
    public Span<long> Row(int row, int length)
    {
        padding.AsSpan(row * Width, length).Clear();
        return ids.AsSpan(row * Width, length);
    }

    public Tensor Ids(Device? device) => tensor(ids, new long[] { Rows, Width }, device: device);   // (B, T)
    public Tensor Padding(Device? device) => tensor(padding, new long[] { Rows, Width }, device: device);   // (B, T)
}
