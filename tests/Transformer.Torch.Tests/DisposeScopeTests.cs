// Dispose scopes: every tensor created while a scope is current on this thread is disposed with it,
// unless moved to the enclosing scope or detached; module parameters and optimizer state never belong to one.
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class DisposeScopeTests
{
    [Fact]
    public void Tensors_created_in_a_scope_are_disposed_with_it()
    {
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = ones(3);
            b = a * 2 + 1;
            Assert.Equal(3, scope.Count); // a, a * 2 and the sum
            Assert.Same(scope, DisposeScope.Current);
        }
        Assert.True(a.IsInvalid);
        Assert.True(b.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => a.shape);
        Assert.Throws<ObjectDisposedException>(() => b.data<float>());
    }

    [Fact]
    public void Tensors_created_outside_any_scope_are_not_captured()
    {
        using var outside = ones(2);
        using (NewDisposeScope())
        {
            using var inside = outside + 1;
        }
        Assert.Equal(new float[] { 1, 1 }, outside.data<float>());
    }

    [Fact]
    public void MoveToOuter_hands_the_tensor_to_the_enclosing_scope()
    {
        Tensor moved, kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                moved = inner.MoveToOuter(ones(2));
                kept = (ones(2) * 3).MoveToOuterDisposeScope();
                Assert.Equal(1, inner.Count); // only the intermediate ones(2) of `kept` is left
            }
            Assert.False(moved.IsInvalid);
            Assert.Equal(new float[] { 3, 3 }, kept.data<float>());
            Assert.Equal(2, outer.Count);
        }
        Assert.True(moved.IsInvalid);
        Assert.True(kept.IsInvalid);
    }

    [Fact]
    public void MoveToOuter_moves_several_tensors_at_once()
    {
        using var outer = NewDisposeScope();
        Tensor a, b, c;
        using (var inner = NewDisposeScope())
        {
            a = ones(1);
            b = ones(1);
            c = ones(1);
            inner.MoveToOuter(a, b);
            inner.MoveToOuter(new[] { c });
        }
        Assert.False(a.IsInvalid || b.IsInvalid || c.IsInvalid);
        Assert.Equal(3, outer.Count);
    }

    [Fact]
    public void MoveToOuter_from_the_outermost_scope_frees_the_tensor_from_all_scopes()
    {
        Tensor t;
        using (var scope = NewDisposeScope()) t = scope.MoveToOuter(ones(2));
        Assert.False(t.IsInvalid);
        t.Dispose();
    }

    [Fact]
    public void Nested_scopes_dispose_only_their_own_tensors()
    {
        using var outer = NewDisposeScope();
        var a = ones(1);
        Tensor b;
        using (NewDisposeScope())
        {
            b = ones(1);
            Assert.NotSame(outer, DisposeScope.Current);
        }
        Assert.Same(outer, DisposeScope.Current);
        Assert.True(b.IsInvalid);
        Assert.False(a.IsInvalid);
    }

    [Fact]
    public void Disposing_scopes_out_of_order_is_refused()
    {
        var outer = NewDisposeScope();
        var inner = NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void DisposeEverythingBut_keeps_the_given_tensors_in_the_scope()
    {
        Tensor keep;
        using (var scope = NewDisposeScope())
        {
            keep = ones(2);
            var drop = ones(2) + keep;
            scope.DisposeEverythingBut(keep);
            Assert.True(drop.IsInvalid);
            Assert.False(keep.IsInvalid);
            Assert.Equal(1, scope.Count);
            var later = zeros(1);
            scope.DisposeEverything();
            Assert.True(later.IsInvalid);
            Assert.True(keep.IsInvalid);
        }
    }

    [Fact]
    public void Detached_tensors_outlive_the_scope()
    {
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = scope.Detach(ones(2));
            b = ones(2).DetachFromDisposeScope();
            Assert.Equal(0, scope.Count);
        }
        Assert.Equal(new float[] { 1, 1 }, a.data<float>());
        Assert.Equal(new float[] { 1, 1 }, b.data<float>());
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void A_tensor_disposed_by_hand_in_a_scope_is_not_disposed_twice()
    {
        using var scope = NewDisposeScope();
        var t = ones(2);
        t.Dispose();
        Assert.Equal(0, scope.Count);
        scope.DisposeEverything();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndDispose()
    {
        var t = ones(1);
        t.Dispose();
        return new WeakReference(t);
    }

    [Fact]
    public void A_long_lived_scope_does_not_keep_tensors_disposed_by_hand_alive()
    {
        using var scope = NewDisposeScope();
        var first = CreateAndDispose();
        for (var i = 0; i < 5000; i++) ones(1).Dispose();
        var kept = ones(1);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(first.IsAlive);
        Assert.Equal(1, scope.Count);
        Assert.False(kept.IsInvalid);
    }

    [Fact]
    public void Parameters_of_modules_created_in_a_scope_survive_it()
    {
        Linear linear;
        Embedding embedding;
        LayerNorm norm;
        using (NewDisposeScope())
        {
            linear = nn.Linear(3, 2);
            embedding = nn.Embedding(4, 2, padding_idx: 0);
            norm = nn.LayerNorm(2);
            linear.register_buffer("scale", ones(2));
        }
        using (NewDisposeScope())
        {
            var y = norm.call(linear.call(ones(1, 3)) + embedding.call(tensor(new long[] { 1 })));
            Assert.Equal(new long[] { 1, 2 }, y.shape);
        }
        Assert.Equal(new float[] { 1, 1 }, linear.named_buffers().Single().buffer.data<float>());
        linear.Dispose();
        embedding.Dispose();
        norm.Dispose();
    }

    [Fact]
    public void Optimizer_state_created_in_a_step_scope_survives_it()
    {
        using var linear = nn.Linear(3, 2);
        using var adam = new optim.AdamW(linear.parameters());
        using var sgd = new optim.SGD(linear.parameters(), lr: 0.1, momentum: 0.9);
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            linear.call(ones(2, 3)).sum().backward();
            adam.step();
            sgd.step();
        }
        var state = adam.state_dict();
        Assert.Equal(4, state.Tensors.Count);
        Assert.All(state.Tensors.Values, t => Assert.False(t.IsInvalid));
        foreach (var t in state.Tensors.Values.Concat(sgd.state_dict().Tensors.Values)) t.Dispose();
    }

    [Fact]
    public void Tensors_created_on_another_thread_are_not_captured_by_this_threads_scope()
    {
        Tensor? fromOtherThread = null;
        Tensor? scopedOnOtherThread = null;
        DisposeScope? seenByOtherThread = null;
        using (var scope = NewDisposeScope())
        {
            var thread = new Thread(() =>
            {
                seenByOtherThread = DisposeScope.Current;
                fromOtherThread = ones(2);
                using (NewDisposeScope()) scopedOnOtherThread = ones(2);
            });
            thread.Start();
            thread.Join();
            Assert.Null(seenByOtherThread);
            Assert.Equal(0, scope.Count);
            Assert.Same(scope, DisposeScope.Current);
        }
        Assert.False(fromOtherThread!.IsInvalid);
        Assert.True(scopedOnOtherThread!.IsInvalid);
        fromOtherThread.Dispose();
    }

    [Fact]
    public void Gradients_read_in_a_scope_leave_the_parameters_gradient_intact()
    {
        using var p = new Parameter(ones(2));
        (p * 3).sum().backward();
        using (NewDisposeScope())
        {
            var g = p.grad!;
            Assert.Equal(new float[] { 3, 3 }, g.data<float>());
        }
        using var again = p.grad!;
        Assert.Equal(new float[] { 3, 3 }, again.data<float>());
    }
}
