// Sums gradients over the ranks through flat buffers of a fixed size (training.allreduce_bucket_mb), not
// one collective per parameter: the parameters' gradients, laid end to end, are copied a bucket at a
// time into one float32 buffer on the parameters' device, all-reduced (MPI on CPU, NCCL on CUDA) and copied
// back. A parameter without a gradient on one rank counts as zeros there, and keeps no gradient only when
// no rank has one (as in one process, where the optimizer then skips it).
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Distributed;

public sealed class GradientBuckets(ICommunicator communicator, long bucketBytes)
{
    private readonly long capacity = Math.Max(1, bucketBytes / sizeof(float));
    private Tensor? buffer;

    /// <summary>How many all-reduce calls the last <see cref="SumInto"/> made (the bucket count).</summary>
    public int LastCalls { get; private set; }

    /// <summary>Replaces every parameter's gradient with its sum over the ranks.</summary>
    public void SumInto(IReadOnlyList<Tensor> parameters)
    {
        if (parameters.Count == 0) return;
        using var _ = no_grad();
        var device = parameters[0].device;
        var present = new float[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.dtype != ScalarType.Float32 || p.device_type != device.type || p.device_index != device.index)
                throw new NotSupportedException($"data-parallel training sums float32 gradients on one device; a parameter is {p.dtype} on {p.device}");
            if (p.grad is not null) present[i] = 1;
            if (p.grad is null || !p.grad.is_contiguous()) p.grad = p.grad?.contiguous() ?? zeros_like(p);
        }
        communicator.AllReduceSum(present);

        if (buffer is null || buffer.device_type != device.type || buffer.device_index != device.index)
        {
            buffer?.Dispose();
            buffer = empty(capacity, ScalarType.Float32, device).DetachFromDisposeScope();   // kept from step to step
        }
        LastCalls = 0;
        long filled = 0;
        var pending = new List<(Tensor Grad, long Offset, long Count)>();
        void Flush()
        {
            if (filled == 0) return;
            using var scope = NewDisposeScope();
            communicator.AllReduceSum(buffer.narrow(0, 0, filled));
            LastCalls++;
            long at = 0;
            foreach (var (grad, offset, count) in pending)
            {
                grad.view(-1).narrow(0, offset, count).copy_(buffer.narrow(0, at, count));
                at += count;
            }
            pending.Clear();
            filled = 0;
        }
        foreach (var p in parameters)
        {
            var grad = p.grad!;
            var length = grad.numel();
            for (long offset = 0; offset < length;)
            {
                var count = Math.Min(length - offset, capacity - filled);
                using (NewDisposeScope()) buffer.narrow(0, filled, count).copy_(grad.view(-1).narrow(0, offset, count));
                pending.Add((grad, offset, count));
                filled += count;
                offset += count;
                if (filled == capacity) Flush();
            }
        }
        Flush();
        for (var i = 0; i < parameters.Count; i++)
            if (present[i] == 0) parameters[i].grad = null;
    }

    /// <summary>Makes every rank's parameters rank 0's (at start and after a resume).</summary>
    public static void BroadcastParameters(ICommunicator communicator, IEnumerable<Tensor> parameters)
    {
        if (communicator.Size == 1) return;
        using var _ = no_grad();
        foreach (var p in parameters)
        {
            if (!p.is_contiguous() || p.dtype != ScalarType.Float32)
                throw new NotSupportedException($"data-parallel training broadcasts contiguous float32 parameters; a parameter is {p.dtype} on {p.device}");
            communicator.Broadcast(p);
        }
    }
}
