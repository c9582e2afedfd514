// The communicator of a benchmark run, timed: the seconds spent in all-reduce (waiting for the slower rank
// included, as a step feels it) and the bytes each rank contributed, summed since the start.
using System.Diagnostics;
using Transformer.Distributed;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal sealed class TimedCommunicator(ICommunicator inner) : ICommunicator
{
    private readonly Stopwatch clock = new();

    /// <summary>Seconds spent in all-reduce so far.</summary>
    public double AllReduceSeconds => clock.Elapsed.TotalSeconds;

    /// <summary>Bytes this rank has passed to all-reduce so far.</summary>
    public long AllReduceBytes { get; private set; }

    public int Rank => inner.Rank;
    public int Size => inner.Size;

    public void AllReduceSum(Span<float> values)
    {
        clock.Start();
        inner.AllReduceSum(values);
        clock.Stop();
        AllReduceBytes += (long)values.Length * sizeof(float);
    }

    public void AllReduceSum(Span<double> values)
    {
        clock.Start();
        inner.AllReduceSum(values);
        clock.Stop();
        AllReduceBytes += (long)values.Length * sizeof(double);
    }

    public void AllReduceSum(Tensor values)
    {
        clock.Start();
        inner.AllReduceSum(values);
        clock.Stop();
        AllReduceBytes += values.numel() * values.element_size();
    }

    public void Broadcast(Span<byte> values) => inner.Broadcast(values);
    public void Broadcast(Tensor values) => inner.Broadcast(values);
    public void Broadcast(Span<float> values) => inner.Broadcast(values);
    public void Barrier() => inner.Barrier();
    public void Abort(int exitCode) => inner.Abort(exitCode);
    public void Dispose() => inner.Dispose();
}
