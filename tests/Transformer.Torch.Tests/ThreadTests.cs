// Threads: the intra-op thread count (default 1, TRANSFORMER_NUM_THREADS overrides it) round-trips
// through set/get_num_threads, and grad mode is per thread with nested scopes restoring the outer mode.
using System.Runtime.CompilerServices;

namespace Transformer.Torch.Tests;

public class ThreadTests
{
    // The thread count as this process started, before any test could change it: recorded when the
    // test assembly loads, which first runs Transformer.Torch's own initializer.
    private static int initialThreads;

#pragma warning disable CA2255 // a module initializer in a test assembly, on purpose
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RecordInitialThreads() => initialThreads = torch.get_num_threads();

    [Fact]
    public void The_default_thread_count_is_one_unless_the_environment_overrides_it()
    {
        Assert.Equal(1, torch.DefaultNumThreads);
        Assert.Equal("TRANSFORMER_NUM_THREADS", torch.NumThreadsVariable);
        var text = Environment.GetEnvironmentVariable(torch.NumThreadsVariable);
        var expected = int.TryParse(text, out var n) && n > 0 ? n : 1;
        Assert.Equal(expected, initialThreads);
    }

    [Fact]
    public void Set_num_threads_round_trips_through_get_num_threads()
    {
        var original = torch.get_num_threads();
        try
        {
            torch.set_num_threads(2);
            Assert.Equal(2, torch.get_num_threads());
            torch.set_num_threads(1);
            Assert.Equal(1, torch.get_num_threads());
            torch.set_num_threads(3);
            Assert.Equal(3, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(original);
        }
        Assert.Equal(original, torch.get_num_threads());
    }

    [Fact]
    public void A_non_positive_thread_count_is_rejected()
    {
        var original = torch.get_num_threads();
        Assert.Contains("thread count must be positive, got 0", Assert.Throws<TorchException>(() => torch.set_num_threads(0)).Message);
        Assert.Throws<TorchException>(() => torch.set_num_threads(-2));
        Assert.Equal(original, torch.get_num_threads());
    }

    [Fact]
    public void Blas_threads_round_trip_when_libtorch_uses_openblas()
    {
        var original = torch.get_blas_threads();
        if (original == -1)
        {
            Assert.False(torch.set_blas_threads(1)); // no OpenBLAS: nothing to set
            return;
        }
        try
        {
            Assert.True(torch.set_blas_threads(1));
            Assert.Equal(1, torch.get_blas_threads());
        }
        finally
        {
            torch.set_blas_threads(original);
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        using var scope = torch.NewDisposeScope();
        var a = arange(40000, float64).view(200, 200).sin();
        var original = torch.get_num_threads();
        try
        {
            torch.set_num_threads(1);
            var one = a.matmul(a).sum(1);
            torch.set_num_threads(2);
            var two = a.matmul(a).sum(1);
            Assert.True(one.allclose(two, 1e-12, 1e-9));
        }
        finally
        {
            torch.set_num_threads(original);
        }
    }

    [Fact]
    public void No_grad_on_one_thread_does_not_affect_another()
    {
        using var x = ones(new long[] { 2 }, requires_grad: true);
        using var entered = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        bool? insideNoGrad = null, resultRequiresGrad = null;
        var worker = new Thread(() =>
        {
            using (torch.no_grad())
            {
                entered.Set();
                checkedOther.Wait(TimeSpan.FromSeconds(30));
                insideNoGrad = torch.is_grad_enabled();
                using var y = x * 2;
                resultRequiresGrad = y.requires_grad;
            }
        });
        worker.Start();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the worker thread did not start");
        // The worker is inside no_grad right now; this thread still records gradients.
        Assert.True(torch.is_grad_enabled());
        using (var z = x * 2) Assert.True(z.requires_grad);
        checkedOther.Set();
        worker.Join();
        Assert.False(insideNoGrad);
        Assert.False(resultRequiresGrad);
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void A_fresh_thread_starts_with_grad_enabled_even_inside_no_grad_elsewhere()
    {
        using var noGrad = torch.no_grad();
        bool? other = null;
        var t = new Thread(() => other = torch.is_grad_enabled());
        t.Start();
        t.Join();
        Assert.True(other);
        Assert.False(torch.is_grad_enabled());
    }

    [Fact]
    public void Nested_grad_mode_scopes_restore_the_previous_mode()
    {
        Assert.True(torch.is_grad_enabled());
        using var x = ones(new long[] { 2 }, requires_grad: true);
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            using (var y = x * 2) Assert.False(y.requires_grad);
            using (torch.enable_grad())
            {
                Assert.True(torch.is_grad_enabled());
                using (var y = x * 2) Assert.True(y.requires_grad);
                using (torch.set_grad_enabled(false)) Assert.False(torch.is_grad_enabled());
                Assert.True(torch.is_grad_enabled());
            }
            Assert.False(torch.is_grad_enabled());
            using (torch.no_grad()) Assert.False(torch.is_grad_enabled());
            Assert.False(torch.is_grad_enabled());
        }
        Assert.True(torch.is_grad_enabled());
    }

    [Fact]
    public void Disposing_a_grad_mode_scope_twice_restores_only_once()
    {
        var outer = torch.no_grad();
        var inner = torch.enable_grad();
        inner.Dispose();
        Assert.False(torch.is_grad_enabled());
        inner.Dispose(); // no effect the second time
        Assert.False(torch.is_grad_enabled());
        outer.Dispose();
        Assert.True(torch.is_grad_enabled());
    }
}
