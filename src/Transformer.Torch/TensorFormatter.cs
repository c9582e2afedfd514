// Prints tensors exactly as PyTorch 1.13's repr(tensor) does (torch/_tensor_str.py, default print
// options: precision 4, threshold 1000, edgeitems 3, linewidth 80, sci_mode chosen automatically):
//   tensor([[ 1.5000,  2.0000],
//           [ 3.0000, -4.0000]], dtype=torch.float64, requires_grad=True)
// Beyond `threshold` elements every dimension longer than 2·edgeitems shows only its first and last
// edgeitems entries around "...". float16/bfloat16 print through their (exact) float32 values.
// One known difference: PyTorch prints grad_fn=<AddBackward0> for a non-leaf tensor that requires
// grad, but the binding cannot name the grad_fn, so such tensors print no autograd suffix at all.
using System.Globalization;
using System.Text;

namespace Transformer.Torch;

internal static class TensorFormatter
{
    private const int Precision = 4;
    private const long Threshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;
    private const string Prefix = "tensor(";

    public static string Format(torch.Tensor t)
    {
        var suffixes = new List<string>();
        var device = t.device;
        if (device.type != DeviceType.CPU)
            suffixes.Add("device='" + device + "'");

        var dtype = t.dtype;
        var shape = t.shape;
        string body;
        if (t.numel() == 0)
        {
            // NumPy-style: the shape is shown unless it is (0,); an empty tensor has no values to
            // infer its dtype from, so every dtype but the default float32 is named.
            if (shape.Length != 1) suffixes.Add("size=" + TupleString(shape));
            if (dtype != ScalarType.Float32) suffixes.Add("dtype=torch." + dtype.Name());
            body = "[]";
        }
        else
        {
            if (dtype is not (ScalarType.Float32 or ScalarType.Int64 or ScalarType.Bool))
                suffixes.Add("dtype=torch." + dtype.Name());
            body = Body(t, shape, Prefix.Length);
        }

        // PyTorch: grad_fn=<Name> when the tensor has a grad_fn, else requires_grad=True. The grad_fn's
        // name is not available through the binding, so non-leaf tensors get neither suffix.
        if (t.requires_grad && t.is_leaf) suffixes.Add("requires_grad=True");

        return AddSuffixes(Prefix + body, suffixes, Prefix.Length);
    }

    private static string TupleString(long[] shape) =>
        shape.Length == 1 ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
        : "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>_add_suffixes: each suffix goes on the last line unless that would pass the line width.</summary>
    private static string AddSuffixes(string text, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(text);
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1; // as PyTorch counts it
        foreach (var suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary>The bracketed values of a non-empty tensor.</summary>
    private static string Body(torch.Tensor t, long[] shape, int indent)
    {
        bool summarize = t.numel() > Threshold;
        var temporaries = new List<torch.Tensor>();
        try
        {
            var source = Track(temporaries, t.detach());
            var cut = new bool[shape.Length];
            if (summarize)
            {
                // get_summarized_data: keep the first and last EdgeItems entries of every long dimension.
                for (int d = 0; d < shape.Length; d++)
                {
                    if (shape[d] <= 2 * EdgeItems) continue;
                    cut[d] = true;
                    var head = Track(temporaries, source.narrow(d, 0, EdgeItems));
                    var tail = Track(temporaries, source.narrow(d, shape[d] - EdgeItems, EdgeItems));
                    source = Track(temporaries, torch.cat(new[] { head, tail }, d));
                }
            }
            var kept = source.shape;
            var cells = Cells(source, temporaries, out int width);
            return Render(cells, kept, cut, width, 0, 0, indent);
        }
        finally
        {
            foreach (var temporary in temporaries) temporary.Dispose();
        }
    }

    private static torch.Tensor Track(List<torch.Tensor> temporaries, torch.Tensor t)
    {
        temporaries.Add(t);
        return t;
    }

    /// <summary>Every kept element formatted and padded to one width, in row-major order.</summary>
    private static string[] Cells(torch.Tensor source, List<torch.Tensor> temporaries, out int width)
    {
        switch (source.dtype)
        {
            case ScalarType.Bool:
            {
                var values = Track(temporaries, source.to(torch.CPU)).data<bool>();
                var formatter = new ElementFormatter(values);
                width = formatter.Width;
                return Array.ConvertAll(values, formatter.Format);
            }
            case ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64:
            {
                // Widening to float64 is exact, so half and bfloat16 print their float32 values as PyTorch does.
                var values = Track(temporaries, source.to(torch.CPU, ScalarType.Float64)).data<double>();
                var formatter = new ElementFormatter(values, Precision);
                width = formatter.Width;
                return Array.ConvertAll(values, formatter.Format);
            }
            default:
            {
                var values = Track(temporaries, source.to(torch.CPU, ScalarType.Int64)).data<long>();
                var formatter = new ElementFormatter(values);
                width = formatter.Width;
                return Array.ConvertAll(values, formatter.Format);
            }
        }
    }

    /// <summary>_tensor_str_with_formatter: the sub-tensor of dimensions dim.. whose first kept cell is
    /// cells[offset]; the slices of a k-dimensional sub-tensor are separated by a comma and k - 1 newlines.</summary>
    private static string Render(string[] cells, long[] kept, bool[] cut, int width, int dim, long offset, int indent)
    {
        if (kept.Length == 0) return cells[0];
        if (dim == kept.Length - 1) return Vector(cells, kept, cut, width, offset, indent);

        long stride = 1;
        for (int d = dim + 1; d < kept.Length; d++) stride *= kept[d];
        var slices = new List<string>();
        for (long i = 0; i < kept[dim]; i++)
        {
            if (cut[dim] && i == EdgeItems) slices.Add("...");
            slices.Add(Render(cells, kept, cut, width, dim + 1, offset + i * stride, indent + 1));
        }
        var separator = "," + new string('\n', kept.Length - dim - 1) + new string(' ', indent + 1);
        return "[" + string.Join(separator, slices) + "]";
    }

    /// <summary>_vector_str: a row wrapped at the line width, as many columns per line as fit.</summary>
    private static string Vector(string[] cells, long[] kept, bool[] cut, int width, long offset, int indent)
    {
        int elementLength = width + 2; // the comma and space between elements
        int perLine = Math.Max(1, (int)Math.Floor((LineWidth - indent) / (double)elementLength));
        var items = new List<string>();
        for (long i = 0; i < kept[^1]; i++)
        {
            if (cut[^1] && i == EdgeItems) items.Add(" ...");
            items.Add(cells[offset + i]);
        }
        var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
        return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
    }
}
