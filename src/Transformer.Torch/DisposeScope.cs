// Deterministic release of native memory: every tensor created while a scope is current belongs to
// it and is disposed with it, unless moved out (TorchSharp's semantics). Scopes nest per thread.
namespace Transformer.Torch;

public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<torch.Tensor> tensors = new();
    private bool disposed;

    // The list also holds tensors the scope no longer owns (disposed by hand, detached, moved out);
    // it is compacted when it reaches this size, so a long-lived scope does not keep them all alive.
    private int compactAt = MinCompactAt;
    private const int MinCompactAt = 1024;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Tensors this scope still owns.</summary>
    public int Count => tensors.Count(t => t.OwningScope == this);

    internal static void Register(torch.Tensor tensor)
    {
        var scope = current;
        if (scope is null) return;
        scope.Add(tensor);
    }

    private void Add(torch.Tensor tensor)
    {
        tensor.OwningScope = this;
        if (tensors.Count >= compactAt)
        {
            tensors.RemoveAll(t => t.OwningScope != this);
            compactAt = Math.Max(MinCompactAt, 2 * tensors.Count);
        }
        tensors.Add(tensor);
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope at all).</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        if (tensor.OwningScope != this) return tensor;
        tensor.OwningScope = null;
        outer?.Add(tensor);
        return tensor;
    }

    /// <summary>Hands several tensors to the enclosing scope. (Not a params overload: with one, C# would pick it
    /// over the generic single-tensor overload, and <c>return scope.MoveToOuter(t)</c> would not compile.)</summary>
    public void MoveToOuter(IEnumerable<torch.Tensor> moved)
    {
        foreach (var t in moved) MoveToOuter(t);
    }

    public void MoveToOuter(torch.Tensor first, torch.Tensor second, params torch.Tensor[] rest)
    {
        MoveToOuter(first);
        MoveToOuter(second);
        MoveToOuter((IEnumerable<torch.Tensor>)rest);
    }

    /// <summary>Removes the tensor from every scope: the caller now owns it.</summary>
    public T Detach<T>(T tensor) where T : torch.Tensor
    {
        if (tensor.OwningScope == this) tensor.OwningScope = null;
        return tensor;
    }

    /// <summary>Disposes everything this scope owns except <paramref name="keep"/>, which stay in the scope.</summary>
    public void DisposeEverythingBut(params torch.Tensor[] keep)
    {
        var kept = new HashSet<torch.Tensor>(keep, ReferenceEqualityComparer.Instance);
        var survivors = new List<torch.Tensor>();
        foreach (var t in tensors)
        {
            if (t.OwningScope != this) continue;
            if (kept.Contains(t)) survivors.Add(t);
            else t.Dispose();
        }
        tensors.Clear();
        tensors.AddRange(survivors);
    }

    public void DisposeEverything() => DisposeEverythingBut();

    public void Dispose()
    {
        if (disposed) return;
        // Checked before marking the scope disposed, so that after the error the scopes can still be
        // disposed in the right order and this thread's scope stack is restored.
        if (current != this)
            throw new InvalidOperationException("Dispose scopes must be disposed in the reverse order of their creation, on the thread that created them.");
        disposed = true;
        current = outer;
        foreach (var t in tensors)
            if (t.OwningScope == this) t.Dispose();
        tensors.Clear();
    }
}
