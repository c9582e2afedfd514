// The collectives data-parallel training needs, over existing engines: MPI for host memory and CPU tensors,
// NCCL for CUDA tensors; one process is the trivial case. Every rank calls the same collectives in the same
// order, or the job hangs.
using static TorchSharp.torch;

namespace Transformer.Distributed;

public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 … Size - 1; rank 0 alone writes the run.</summary>
    int Rank { get; }

    /// <summary>How many processes train together.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank with their sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <inheritdoc cref="AllReduceSum(Span{float})"/>
    void AllReduceSum(Span<double> values);

    /// <summary>Replaces a contiguous float32 tensor on every rank with its sum over all ranks: through MPI for a
    /// CPU tensor, through NCCL for a CUDA tensor.</summary>
    void AllReduceSum(Tensor values);

    /// <summary>Replaces <paramref name="values"/> on every rank with rank 0's.</summary>
    void Broadcast(Span<byte> values);

    /// <summary>Replaces a contiguous float32 tensor on every rank with rank 0's (MPI for CPU, NCCL for CUDA).</summary>
    void Broadcast(Tensor values);

    /// <inheritdoc cref="Broadcast(Span{byte})"/>
    void Broadcast(Span<float> values);

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every rank of the job with <paramref name="exitCode"/> (a rank that failed alone must not leave
    /// the others waiting in a collective).</summary>
    void Abort(int exitCode);
}
