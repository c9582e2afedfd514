// The communicator of a run in one process: every collective is the identity.
using static TorchSharp.torch;

namespace Transformer.Distributed;

public sealed class SingleProcess : ICommunicator
{
    public static readonly SingleProcess Instance = new();

    public int Rank => 0;
    public int Size => 1;
    public void AllReduceSum(Span<float> values) { }
    public void AllReduceSum(Span<double> values) { }
    public void AllReduceSum(Tensor values) { }
    public void Broadcast(Span<byte> values) { }
    public void Broadcast(Tensor values) { }
    public void Broadcast(Span<float> values) { }
    public void Barrier() { }
    public void Abort(int exitCode) => Environment.Exit(exitCode);
    public void Dispose() { }
}
