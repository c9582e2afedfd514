// The part every batch stream shares: an epoch's plan (which examples each batch holds) is a pure function of
// the epoch, so a stream can start anywhere given a DataCursor and yields the same batches an uninterrupted
// stream would have from there.
namespace Transformer.Data.Batching;

public abstract class BatchStream<TBatch> where TBatch : Batch
{
    private long plannedEpoch = -1;
    private IReadOnlyList<long[]> plan = [];

    /// <summary>The batches of <paramref name="epoch"/> as example (or window) indices; do not modify the arrays.</summary>
    public IReadOnlyList<long[]> Plan(long epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epochs count from 0");
        if (epoch != plannedEpoch)
        {
            plan = PlanEpoch(epoch);
            plannedEpoch = epoch;
        }
        return plan;
    }

    public int BatchesInEpoch(long epoch) => Plan(epoch).Count;

    /// <summary>Batches from <paramref name="start"/> on, epoch after epoch, without end: take as many as needed.
    /// Each batch's Next is the cursor to save after using it.</summary>
    public IEnumerable<TBatch> Read(DataCursor start)
    {
        Check(start);
        return ReadFrom(start);
    }

    /// <summary>The batches of one epoch (for evaluation, e.g. epoch 0 of the valid split).</summary>
    public IEnumerable<TBatch> ReadEpoch(long epoch)
    {
        Check(new DataCursor(epoch, 0));
        return ReadFrom(new DataCursor(epoch, 0)).Take(BatchesInEpoch(epoch));
    }

    protected abstract IReadOnlyList<long[]> PlanEpoch(long epoch);

    /// <summary>The tensors of one batch.</summary>
    protected abstract TBatch Build(long[] examples, DataCursor at, DataCursor next);

    private void Check(DataCursor start)
    {
        if (start.Epoch < 0 || start.Position < 0) throw new ArgumentOutOfRangeException(nameof(start), start, "epoch and position must be ≥ 0");
        var count = BatchesInEpoch(start.Epoch);
        if (count == 0) throw new InvalidOperationException("the stream has no batches in an epoch (an empty split?)");
        if (start.Position > count)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"epoch {start.Epoch} has {count} batches; the cursor is not from this data and these settings");
    }

    private IEnumerable<TBatch> ReadFrom(DataCursor cursor)
    {
        while (true)
        {
            var batches = Plan(cursor.Epoch);
            if (batches.Count == 0) throw new InvalidOperationException($"epoch {cursor.Epoch} has no batches");
            if (cursor.Position >= batches.Count)
            {
                cursor = new DataCursor(cursor.Epoch + 1, 0);
                continue;
            }
            var next = cursor.Position + 1 < batches.Count ? cursor with { Position = cursor.Position + 1 } : new DataCursor(cursor.Epoch + 1, 0);
            yield return Build(batches[(int)cursor.Position], cursor, next);
            cursor = next;
        }
    }
}
