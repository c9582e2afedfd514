// Which communicator a process gets: MPI when mpirun started it, else the single process. Under MPI each
// rank's libtorch gets an equal share of the host's cores unless TRANSFORMER_NUM_THREADS says otherwise,
// so N ranks on one host do not oversubscribe it N times.
using Transformer.Engine;

namespace Transformer.Distributed;

public static class Communicator
{
    public static ICommunicator FromEnvironment()
    {
        if (!MpiCommunicator.Launched) return SingleProcess.Instance;
        var mpi = MpiCommunicator.Start();
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TorchLoader.NumThreadsVariable)))
        {
            var local = int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_SIZE"), out var n) && n > 0 ? n : mpi.Size;
            TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount / local));
        }
        return mpi;
    }
}
