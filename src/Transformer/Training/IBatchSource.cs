// Where the trainer's batches come from: a deterministic order per (seed, epoch) and a cursor that
// says where the next batch starts, so a resumed run reads exactly the batches it would have read.
using Transformer.Data.Batching;

namespace Transformer.Training;

public interface IBatchSource
{
    /// <summary>Batches of one epoch from batch <paramref name="position"/> on, in the epoch's deterministic order.</summary>
    IEnumerable<Batch> Epoch(long epoch, long position);

    /// <summary>The validation batches, always in the same order.</summary>
    IEnumerable<Batch> Validation();
}
