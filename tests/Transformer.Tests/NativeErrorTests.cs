// A libtorch error reaches C# as an exception carrying libtorch's own message, and the process lives on.
// (Not for every TorchSharp 0.107 entry point: THSTensor_matmul lacks its CATCH, so a bad matmul ends the
// process; the framework calls mm/bmm and scaled_dot_product_attention instead, which are guarded.)
using System.Runtime.InteropServices;

namespace Transformer.Tests;

public class NativeErrorTests
{
    [Fact]
    public void A_shape_error_in_libtorch_is_an_exception_with_libtorchs_message_and_the_engine_keeps_working()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ExternalException>(() => ones(2, 3).mm(ones(2, 3)));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", error.Message);
        Assert.Equal(3f, ones(2, 3).mm(ones(3, 2))[0, 0].item<float>());
    }

    [Fact]
    public void An_index_out_of_range_in_libtorch_is_an_exception_not_a_crash()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ExternalException>(() => ones(3, 4).index_select(0, tensor(new long[] { 7 })));
        Assert.Contains("out of range", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
