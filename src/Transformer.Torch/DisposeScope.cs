// Deterministic release of native memory: every tensor created while a scope is current belongs to
// it and is disposed with it, unless moved out (TorchSharp's semantics). Scopes nest per thread.
namespace Transformer.Torch;

public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly List<torch.Tensor> tensors = new();
    private bool disposed;

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
        tensor.OwningScope = scope;
        scope.tensors.Add(tensor);
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope at all).</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        if (tensor.OwningScope != this) return tensor;
        tensor.OwningScope = null;
        if (outer is not null)
        {
            tensor.OwningScope = outer;
            outer.tensors.Add(tensor);
        }
        return tensor;
    }

    public void MoveToOuter(params torch.Tensor[] moved)
    {
        foreach (var t in moved) MoveToOuter(t);
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
        disposed = true;
        if (current != this)
            throw new InvalidOperationException("Dispose scopes must be disposed in the reverse order of their creation, on the thread that created them.");
        current = outer;
        foreach (var t in tensors)
            if (t.OwningScope == this) t.Dispose();
        tensors.Clear();
    }
}
