// MPI_COMM_WORLD of Open MPI (Debian's openmpi-bin / libopenmpi-dev, libmpi.so.40), by P/Invoke to the
// dozen C functions training uses. MPI.NET 1.4.0 (NuGet) was judged and not used: its README documents Windows
// with MS-MPI and recommends consuming it as a source submodule, for a surface this file covers.
// Open MPI's predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM…) are the addresses of global structs
// in the library, so they are looked up as exports rather than written as constants. CUDA tensors go through
// NCCL (NcclCommunicator), bootstrapped over this communicator at the first CUDA collective: Debian's Open MPI
// is not CUDA-aware.
using System.Runtime.InteropServices;
using Transformer.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Distributed;

public sealed unsafe partial class MpiCommunicator : ICommunicator
{
    private const string Library = "libmpi.so.40";
    private const int ThreadSerialized = 2;   // MPI_THREAD_SERIALIZED in Open MPI's mpi.h

    private readonly nint world, floatType, doubleType, byteType, sum;
    private NcclCommunicator? nccl;
    private bool finalized;

    private MpiCommunicator()
    {
        nint library;
        try
        {
            library = NativeLibrary.Load(Library);
        }
        catch (DllNotFoundException e)
        {
            throw new EnvironmentException($"cannot load {Library} (Open MPI): install openmpi-bin and libopenmpi-dev (apt-get install openmpi-bin libopenmpi-dev)", e);
        }
        world = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        floatType = NativeLibrary.GetExport(library, "ompi_mpi_float");
        doubleType = NativeLibrary.GetExport(library, "ompi_mpi_double");
        byteType = NativeLibrary.GetExport(library, "ompi_mpi_byte");
        sum = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        int provided;
        Check(MPI_Init_thread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
        int rank, size;
        Check(MPI_Comm_rank(world, &rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(world, &size), "MPI_Comm_size");
        (Rank, Size) = (rank, size);
    }

    /// <summary>Whether this process was started by mpirun (Open MPI's launcher sets these variables).</summary>
    public static bool Launched =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null || Environment.GetEnvironmentVariable("PMIX_RANK") is not null;

    /// <summary>Initializes MPI; once per process.</summary>
    public static MpiCommunicator Start() => new();

    public int Rank { get; }
    public int Size { get; }

    public void AllReduceSum(Span<float> values)
    {
        fixed (float* p = values) Check(MPI_Allreduce(InPlace, p, values.Length, floatType, sum, world), "MPI_Allreduce");
    }

    public void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values) Check(MPI_Allreduce(InPlace, p, values.Length, doubleType, sum, world), "MPI_Allreduce");
    }

    public void AllReduceSum(Tensor values)
    {
        if (values.device_type == DeviceType.CUDA)
        {
            Nccl(values).AllReduceSum(values);
            return;
        }
        AllReduceSum(HostFloats(values));
    }

    public void Broadcast(Tensor values)
    {
        if (values.device_type == DeviceType.CUDA)
        {
            Nccl(values).Broadcast(values);
            return;
        }
        Broadcast(HostFloats(values));
    }

    /// <summary>The NCCL communicator of this job, joined at the first CUDA collective (which every rank makes).</summary>
    private NcclCommunicator Nccl(Tensor values) => nccl ??= NcclCommunicator.Bootstrap(this, values.device_index);

    private static Span<float> HostFloats(Tensor values)
    {
        if (values.device_type != DeviceType.CPU || values.dtype != ScalarType.Float32 || !values.is_contiguous() || values.numel() > int.MaxValue)
            throw new NotSupportedException($"MPI collectives here take contiguous float32 CPU tensors; got {values.dtype} on {values.device}");
        return new Span<float>((float*)TensorAddress.Of(values), (int)values.numel());
    }

    public void Broadcast(Span<byte> values)
    {
        fixed (byte* p = values) Check(MPI_Bcast(p, values.Length, byteType, 0, world), "MPI_Bcast");
    }

    public void Broadcast(Span<float> values)
    {
        fixed (float* p = values) Check(MPI_Bcast(p, values.Length, floatType, 0, world), "MPI_Bcast");
    }

    public void Barrier() => Check(MPI_Barrier(world), "MPI_Barrier");

    public void Abort(int exitCode)
    {
        nccl?.Abort();
        MPI_Abort(world, exitCode);
    }

    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        nccl?.Dispose();
        MPI_Finalize();
    }

    /// <summary>MPI_IN_PLACE in Open MPI: (void*)1.</summary>
    private static void* InPlace => (void*)1;

    private void Check(int code, string call)
    {
        if (code != 0) throw new EnvironmentException($"{call} failed with MPI error {code} on rank {Rank} of {Size}");
    }

    [LibraryImport(Library)] private static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);
    [LibraryImport(Library)] private static partial int MPI_Comm_rank(nint comm, int* rank);
    [LibraryImport(Library)] private static partial int MPI_Comm_size(nint comm, int* size);
    [LibraryImport(Library)] private static partial int MPI_Allreduce(void* send, void* receive, int count, nint type, nint op, nint comm);
    [LibraryImport(Library)] private static partial int MPI_Bcast(void* buffer, int count, nint type, int root, nint comm);
    [LibraryImport(Library)] private static partial int MPI_Barrier(nint comm);
    [LibraryImport(Library)] private static partial int MPI_Abort(nint comm, int code);
    [LibraryImport(Library)] private static partial int MPI_Finalize();
}
