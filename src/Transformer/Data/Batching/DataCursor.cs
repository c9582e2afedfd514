// Where a batch stream stands: the epoch and the index of the next batch within it. The trainer saves the
// cursor of the last batch it used (Batch.Next); a stream read from that cursor yields exactly the batches an
// uninterrupted run would have yielded next, because each epoch's order is a pure function of (seed, epoch).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Transformer.Data.Batching;

public sealed record DataCursor(
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("position")] long Position)
{
    /// <summary>Epoch 0, batch 0.</summary>
    public static DataCursor Start { get; } = new(0, 0);

    /// <summary>{"epoch":E,"position":P}</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    public static DataCursor FromJson(string json)
    {
        DataCursor? cursor;
        try
        {
            cursor = JsonSerializer.Deserialize<DataCursor>(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"data cursor '{json}': {e.Message} — expected {{\"epoch\": E, \"position\": P}}", e);
        }
        if (cursor is null || cursor.Epoch < 0 || cursor.Position < 0)
            throw new FormatException($"data cursor '{json}' — expected {{\"epoch\": E, \"position\": P}} with E, P ≥ 0");
        return cursor;
    }

    public override string ToString() => $"epoch {Epoch}, batch {Position}";
}
