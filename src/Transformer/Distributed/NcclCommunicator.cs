// NCCL for the collectives on CUDA tensors, bootstrapped over MPI as Horovod does: rank 0 asks NCCL for a unique
// id, MPI broadcasts it, and every rank joins the NCCL communicator with its MPI rank. MPI keeps the host-memory
// collectives (loss totals, votes, run names); NCCL takes every CUDA tensor. P/Invoke to libnccl.so.2 (NVIDIA's
// C API, nccl.h). The collectives run on CUDA's legacy default stream, the one TorchSharp's kernels use, so they
// are ordered after the backward that wrote the gradients; a device synchronize makes them complete before the
// optimizer reads the results.
// Untested here: this machine has no GPU and NuGet serves no CUDA build of TorchSharp (README, Known limits).
using System.Runtime.InteropServices;
using Transformer.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Distributed;

internal sealed unsafe partial class NcclCommunicator : IDisposable
{
    private const string Library = "libnccl.so.2";
    private const int UniqueIdBytes = 128;   // NCCL_UNIQUE_ID_BYTES
    private const int Float32 = 7;           // ncclFloat32 in ncclDataType_t
    private const int Sum = 0;               // ncclSum in ncclRedOp_t

    private readonly nint comm;
    private readonly int device;
    private bool destroyed;

    private NcclCommunicator(nint comm, int device) => (this.comm, this.device) = (comm, device);

    /// <summary>Joins every rank of <paramref name="mpi"/> into one NCCL communicator over the CUDA device
    /// <paramref name="device"/>; a collective call (every rank must make it).</summary>
    public static NcclCommunicator Bootstrap(ICommunicator mpi, int device)
    {
        if (!NativeLibrary.TryLoad(Library, out _))
            throw new EnvironmentException($"cannot load {Library} (NCCL), which data-parallel training on CUDA needs: install NVIDIA's NCCL (e.g. apt-get install libnccl2)");
        var id = new byte[UniqueIdBytes];
        if (mpi.Rank == 0)
            fixed (byte* p = id) Check(ncclGetUniqueId(p), "ncclGetUniqueId", mpi.Rank);
        mpi.Broadcast(id);
        nint comm;
        var unique = MemoryMarshal.Read<UniqueId>(id);
        Check(ncclCommInitRank(&comm, mpi.Size, unique, mpi.Rank), "ncclCommInitRank", mpi.Rank);
        return new NcclCommunicator(comm, device);
    }

    /// <summary>Sums a contiguous float32 CUDA tensor over the ranks, in place.</summary>
    public void AllReduceSum(Tensor values)
    {
        Expect(values);
        var p = (void*)TensorAddress.Of(values);
        Check(ncclAllReduce(p, p, (nuint)values.numel(), Float32, Sum, comm, null), "ncclAllReduce", -1);
        cuda.synchronize(new Device(DeviceType.CUDA, device));
    }

    /// <summary>Replaces a contiguous float32 CUDA tensor with rank 0's.</summary>
    public void Broadcast(Tensor values)
    {
        Expect(values);
        var p = (void*)TensorAddress.Of(values);
        Check(ncclBroadcast(p, p, (nuint)values.numel(), Float32, 0, comm, null), "ncclBroadcast", -1);
        cuda.synchronize(new Device(DeviceType.CUDA, device));
    }

    /// <summary>Stops the communicator without waiting for the other ranks (after a failure).</summary>
    public void Abort()
    {
        if (destroyed) return;
        destroyed = true;
        ncclCommAbort(comm);
    }

    public void Dispose()
    {
        if (destroyed) return;
        destroyed = true;
        ncclCommDestroy(comm);
    }

    private static void Expect(Tensor values)
    {
        if (values.device_type != DeviceType.CUDA || values.dtype != ScalarType.Float32 || !values.is_contiguous())
            throw new NotSupportedException($"NCCL collectives here take contiguous float32 CUDA tensors; got {values.dtype} on {values.device}");
    }

    private static void Check(int result, string call, int rank)
    {
        if (result == 0) return;
        var reason = Marshal.PtrToStringUTF8(ncclGetErrorString(result)) ?? "unknown";
        throw new EnvironmentException($"{call} failed{(rank >= 0 ? $" on rank {rank}" : "")}: NCCL error {result} ({reason})");
    }

    /// <summary>ncclUniqueId: 128 opaque bytes, passed by value.</summary>
    [StructLayout(LayoutKind.Sequential, Size = UniqueIdBytes)]
    private struct UniqueId;

    [LibraryImport(Library)] private static partial int ncclGetUniqueId(byte* id);
    [LibraryImport(Library)] private static partial int ncclCommInitRank(nint* comm, int ranks, UniqueId id, int rank);
    [LibraryImport(Library)] private static partial int ncclAllReduce(void* send, void* receive, nuint count, int type, int op, nint comm, void* stream);
    [LibraryImport(Library)] private static partial int ncclBroadcast(void* send, void* receive, nuint count, int type, int root, nint comm, void* stream);
    [LibraryImport(Library)] private static partial int ncclCommDestroy(nint comm);
    [LibraryImport(Library)] private static partial int ncclCommAbort(nint comm);
    [LibraryImport(Library)] private static partial nint ncclGetErrorString(int result);
}
