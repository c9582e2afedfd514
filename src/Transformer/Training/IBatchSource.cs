// Where the trainer's batches come from: a deterministic order per (seed, epoch) and a cursor that
// says where the next batch starts, so a resumed run reads exactly the batches it would have read.
using System.Text.Json.Serialization;

namespace Transformer.Training;

/// <summary>A position in the training stream: the epoch and the index of the next batch within it.</summary>
public sealed record DataCursor(
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("position")] long Position);

public interface IBatchSource
{
    /// <summary>Batches of one epoch from <paramref name="position"/> on, in the epoch's deterministic order.</summary>
    IEnumerable<TrainingBatch> Epoch(long epoch, long position);

    /// <summary>The validation batches, always in the same order.</summary>
    IEnumerable<TrainingBatch> Validation();
}
