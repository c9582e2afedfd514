// One position of a PyTorch-style index: t[0], t[1..3], t[.., ^1], t[mask], t[TensorIndex.None].
namespace Transformer.Torch;

public readonly struct TensorIndex
{
    internal enum Kind { Single = 0, Slice = 1, None = 2, Ellipsis = 3, Tensor = 4 }

    internal readonly Kind kind;
    internal readonly long start, stop, step;
    internal readonly torch.Tensor? tensor;

    private TensorIndex(Kind kind, long start = long.MinValue, long stop = long.MinValue, long step = long.MinValue, torch.Tensor? tensor = null)
    {
        this.kind = kind;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.tensor = tensor;
    }

    /// <summary>A new axis of size 1 (Python's None).</summary>
    public static readonly TensorIndex None = new(Kind.None);
    public static readonly TensorIndex Ellipsis = new(Kind.Ellipsis);
    public static readonly TensorIndex Colon = new(Kind.Slice);

    public static TensorIndex Single(long index) => new(Kind.Single, index);
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null) =>
        new(Kind.Slice, start ?? long.MinValue, stop ?? long.MinValue, step ?? long.MinValue);

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(int index) => Single(index);
    /// <summary>t[^1] is the last element; ^0 lies past the end and has no element, so it is rejected
    /// (it would otherwise read as index 0).</summary>
    public static implicit operator TensorIndex(Index index)
    {
        if (index.IsFromEnd && index.Value == 0)
            throw new ArgumentOutOfRangeException(nameof(index), "^0 is past the last element and cannot index one; use ^1 for the last element");
        return Single(index.IsFromEnd ? -index.Value : index.Value);
    }
    public static implicit operator TensorIndex(torch.Tensor index) => new(Kind.Tensor, tensor: index);

    public static implicit operator TensorIndex(Range range)
    {
        long? start = range.Start.IsFromEnd ? (range.Start.Value == 0 ? long.MaxValue : -range.Start.Value) : range.Start.Value;
        long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
        return Slice(start == 0 ? null : start, stop);
    }
}
