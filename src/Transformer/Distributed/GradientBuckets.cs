// Sums gradients over the ranks through flat buffers of a fixed size (training.allreduce_bucket_mb), not
// one collective per parameter: the parameters' gradients, laid end to end, are copied a bucket at a
// time into one float buffer, all-reduced and copied back. A parameter without a gradient on one rank
// counts as zeros there, and keeps no gradient only when no rank has one (as in one process, where the
// optimizer then skips it).
using Transformer.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Distributed;

public sealed class GradientBuckets(ICommunicator communicator, long bucketBytes)
{
    private readonly float[] buffer = new float[Math.Max(1, bucketBytes / sizeof(float))];

    /// <summary>How many all-reduce calls the last <see cref="SumInto"/> made (the bucket count).</summary>
    public int LastCalls { get; private set; }

    /// <summary>Replaces every parameter's gradient with its sum over the ranks.</summary>
    public unsafe void SumInto(IReadOnlyList<Tensor> parameters)
    {
        using var _ = no_grad();
        var present = new float[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.device.type != DeviceType.CPU || p.dtype != ScalarType.Float32)
                throw new NotSupportedException($"data-parallel training sums float32 CPU gradients; a parameter is {p.dtype} on {p.device}");
            if (p.grad is not null) present[i] = 1;
            if (p.grad is null || !p.grad.is_contiguous()) p.grad = p.grad?.contiguous() ?? zeros_like(p);
        }
        communicator.AllReduceSum(present);

        LastCalls = 0;
        var filled = 0;
        var pending = new List<(nint data, long offset, int count)>();
        void Flush()
        {
            if (filled == 0) return;
            communicator.AllReduceSum(buffer.AsSpan(0, filled));
            LastCalls++;
            var at = 0;
            foreach (var (data, offset, count) in pending)
            {
                buffer.AsSpan(at, count).CopyTo(new Span<float>((float*)data + offset, count));
                at += count;
            }
            pending.Clear();
            filled = 0;
        }
        foreach (var p in parameters)
        {
            var data = Fused.Data<float>(p.grad!);
            var length = p.grad!.numel();
            for (long offset = 0; offset < length;)
            {
                var count = (int)Math.Min(length - offset, buffer.Length - filled);
                new ReadOnlySpan<float>(data + offset, count).CopyTo(buffer.AsSpan(filled, count));
                pending.Add(((nint)data, offset, count));
                filled += count;
                offset += count;
                if (filled == buffer.Length) Flush();
            }
        }
        Flush();
        for (var i = 0; i < parameters.Count; i++)
            if (present[i] == 0) parameters[i].grad = null;
    }

    /// <summary>Makes every rank's parameters rank 0's (at start and after a resume).</summary>
    public static unsafe void BroadcastParameters(ICommunicator communicator, IEnumerable<Tensor> parameters)
    {
        if (communicator.Size == 1) return;
        using var _ = no_grad();
        foreach (var p in parameters)
        {
            if (!p.is_contiguous() || p.device.type != DeviceType.CPU || p.dtype != ScalarType.Float32)
                throw new NotSupportedException($"data-parallel training broadcasts contiguous float32 CPU parameters; a parameter is {p.dtype} on {p.device}");
            communicator.Broadcast(new Span<float>(Fused.Data<float>(p), checked((int)p.numel())));
        }
    }
}
