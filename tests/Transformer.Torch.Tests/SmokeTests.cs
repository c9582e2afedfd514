namespace Transformer.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void Adding_two_tensors_gives_the_elementwise_sum()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 10, 20, 30 });
        using var c = a + b;
        Assert.Equal(new float[] { 11, 22, 33 }, c.data<float>());
    }

    [Fact]
    public void Mismatched_matmul_reports_libtorchs_message()
    {
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
    }
}
