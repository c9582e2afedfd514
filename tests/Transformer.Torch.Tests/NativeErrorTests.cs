// libtorch errors arrive as TorchException with libtorch's own text (no C++ backtrace, no crash);
// using a disposed tensor is an ObjectDisposedException.
namespace Transformer.Torch.Tests;

public class NativeErrorTests
{
    [Fact]
    public void Mismatched_matmul_reports_libtorchs_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => zeros(2, 3).matmul(zeros(4, 5)));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
        Assert.DoesNotContain("Exception raised from", e.Message); // the backtrace is stripped
        var bmm = Assert.Throws<TorchException>(() => zeros(2, 2, 3).bmm(zeros(2, 4, 2)));
        Assert.Contains("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].", bmm.Message);
    }

    [Fact]
    public void Viewing_a_non_contiguous_tensor_suggests_reshape()
    {
        using var scope = torch.NewDisposeScope();
        var t = arange(12).view(3, 4).t();
        var e = Assert.Throws<TorchException>(() => t.view(-1));
        Assert.Contains("view size is not compatible with input tensor's size and stride", e.Message);
        Assert.Contains("Use .reshape(...) instead.", e.Message);
    }

    [Fact]
    public void Indexing_out_of_range_names_the_index_dimension_and_size()
    {
        using var scope = torch.NewDisposeScope();
        var x = arange(12).view(3, 4);
        Assert.Contains("index 3 is out of bounds for dimension 0 with size 3", Assert.Throws<TorchException>(() => x[3]).Message);
        Assert.Contains("index 4 is out of bounds for dimension 1 with size 4", Assert.Throws<TorchException>(() => x[.., 4]).Message);
        Assert.Contains("index -4 is out of bounds for dimension 0 with size 3", Assert.Throws<TorchException>(() => x[-4]).Message);
        Assert.Contains("index 5 is out of bounds for dimension 0 with size 3",
            Assert.Throws<TorchException>(() => x[tensor(new long[] { 5 })]).Message);
        Assert.Contains("select(): index 7 out of range for tensor of size [3, 4] at dimension 1",
            Assert.Throws<TorchException>(() => x.select(1, 7)).Message);
        Assert.Contains("index out of range in self", Assert.Throws<TorchException>(() => x.index_select(0, tensor(new long[] { 5 }))).Message);
        Assert.Contains("index 3 is out of bounds for dimension 1 with size 3",
            Assert.Throws<TorchException>(() => ones(2, 3).gather(1, tensor(new long[] { 3 }, new long[] { 1, 1 }))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.size(2));
    }

    [Fact]
    public void Incompatible_broadcast_names_both_sizes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => ones(3) + ones(4));
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0", e.Message);
    }

    [Fact]
    public void A_cuda_request_on_this_cpu_build_throws_a_clear_message_instead_of_crashing()
    {
        using var scope = torch.NewDisposeScope();
        Assert.False(torch.cuda.is_available());
        Assert.Equal(0, torch.cuda.device_count());
        var e = Assert.Throws<TorchException>(() => zeros(new long[] { 2 }, device: torch.CUDA));
        Assert.Contains("CUDA device cuda:0 requested, but CUDA is not available", e.Message);
        Assert.True(e.Message.Length < 400, $"message is {e.Message.Length} characters long");
        foreach (var attempt in new Func<Tensor>[]
                 {
                     () => ones(new long[] { 2 }, device: torch.CUDA),
                     () => rand(new long[] { 2 }, device: new Device("cuda:1")),
                     () => randint(5, new long[] { 2 }, device: torch.CUDA),
                     () => arange(3, device: torch.CUDA),
                     () => linspace(0, 1, 3, device: torch.CUDA),
                     () => full(new long[] { 2 }, 1.5, device: torch.CUDA),
                     () => tensor(new[] { 1f, 2f }, device: torch.CUDA),
                     () => ones(2).cuda(),
                     () => ones(2).to("cuda:1"),
                     () => ones(2).to(torch.CUDA, float64),
                     () => torch.cuda.get_rng_state(),
                 })
            Assert.Contains("CUDA is not available", Assert.Throws<TorchException>(attempt).Message);
        using var state = torch.get_rng_state();
        Assert.Contains("CUDA is not available", Assert.Throws<TorchException>(() => torch.cuda.set_rng_state(state)).Message);
        Assert.Equal(3f, ones(3).sum().item<float>()); // still working afterwards
    }

    [Fact]
    public void Devices_parse_and_print_like_pytorch()
    {
        Assert.Equal(new Device(DeviceType.CUDA, 1), new Device("cuda:1"));
        Assert.Equal(new Device(DeviceType.CUDA, 0), torch.device("CUDA"));
        Assert.Equal(torch.CPU, torch.device("cpu"));
        Assert.Equal("cuda:1", new Device("cuda:1").ToString());
        Assert.Equal("cuda", new Device(DeviceType.CUDA).ToString());
        Assert.Throws<ArgumentException>(() => new Device("tpu"));
        Assert.Throws<ArgumentException>(() => new Device("cuda:x"));
    }

    [Fact]
    public void Autograd_misuse_reports_libtorchs_reason()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Contains("element 0 of tensors does not require grad and does not have a grad_fn",
            Assert.Throws<TorchException>(() => ones(3).sum().backward()).Message);
        var x = ones(new long[] { 3 }, requires_grad: true);
        Assert.Contains("grad can be implicitly created only for scalar outputs",
            Assert.Throws<TorchException>(() => (x * 2).backward()).Message);
        var y = (x * x).sum();
        y.backward();
        Assert.Contains("Trying to backward through the graph a second time", Assert.Throws<TorchException>(() => y.backward()).Message);
        Assert.Contains("a leaf Variable that requires grad is being used in an in-place operation",
            Assert.Throws<TorchException>(() => x.add_(1)).Message);
    }

    [Fact]
    public void Bad_creation_arguments_are_reported()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Contains("buffer of 12 bytes does not match shape [2, 2] of Float (16 bytes)",
            Assert.Throws<TorchException>(() => tensor(new float[] { 1, 2, 3 }, new long[] { 2, 2 })).Message);
        Assert.Throws<TorchException>(() => zeros(-1));
        Assert.Throws<TorchException>(() => randint(5, 5, new long[] { 2 }));
        Scalar zeroStep = 0;
        Assert.Throws<TorchException>(() => arange(0, 10, zeroStep));
        Assert.Throws<NotSupportedException>(() => tensor(new ushort[] { 1 }));
        Assert.Contains("RNG state must be a torch.ByteTensor", Assert.Throws<TorchException>(() => torch.set_rng_state(ones(3))).Message);
    }

    [Fact]
    public void Error_messages_are_kept_per_thread()
    {
        // Each thread fails differently and must read its own message, not the other thread's.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        void Run(Func<Tensor> fail, string expected)
        {
            for (var i = 0; i < 300; i++)
            {
                try { fail().Dispose(); failures.Add("no exception"); }
                catch (TorchException e) when (e.Message.Contains(expected)) { }
                catch (Exception e) { failures.Add(e.Message); }
            }
        }
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        using var c = ones(3);
        var t1 = new Thread(() => Run(() => a.matmul(b), "mat1 and mat2 shapes cannot be multiplied"));
        var t2 = new Thread(() => Run(() => c.view(2, 2), "shape '[2, 2]' is invalid for input of size 3"));
        t1.Start();
        t2.Start();
        t1.Join();
        t2.Join();
        Assert.Empty(failures);
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_object_disposed_for_ops_and_properties()
    {
        var live = ones(2);
        var t = ones(2);
        t.Dispose();
        Assert.True(t.IsInvalid);
        foreach (var use in new Action[]
                 {
                     () => t.add(1), () => _ = t + live, () => _ = live + t, () => _ = -t, () => _ = t < live,
                     () => t.matmul(live), () => t.sum(), () => t.view(2), () => _ = t[0], () => live[t.@bool()] = live,
                     () => t.exp(), () => t.add_(live), () => live.add_(t), () => t.clone(), () => t.detach(),
                     () => _ = t.shape, () => _ = t.dtype, () => _ = t.device, () => t.dim(), () => t.numel(),
                     () => _ = t.requires_grad, () => t.requires_grad = true, () => _ = t.grad, () => _ = t.is_leaf,
                     () => t.item<float>(), () => t.data<float>(), () => t.bytes(), () => t.to(float64),
                     () => t.backward(), () => live.backward(t), () => cat(new[] { live, t }), () => stack(new[] { t }),
                     () => where(live.@bool(), t, live), () => nn.functional.softmax(t, 0), () => nn.functional.linear(live, t),
                     () => torch.set_rng_state(t), () => t.stride(), () => t.is_contiguous(),
                 })
            Assert.Throws<ObjectDisposedException>(use);
        Assert.Equal("tensor(<disposed>)", t.ToString()); // ToString is exempt
        t.Dispose();                                      // disposing twice is harmless
        live.Dispose();
    }

    [Fact]
    public void Tensors_disposed_by_their_scope_throw_object_disposed()
    {
        Tensor inner;
        Tensor kept;
        using (var scope = torch.NewDisposeScope())
        {
            inner = ones(3);
            kept = ones(3).MoveToOuterDisposeScope();
        }
        Assert.True(inner.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => inner.sum());
        Assert.Equal(3f, kept.sum().item<float>());
        kept.Dispose();
    }
}
