// Keys and values of the positions decoded so far, per layer, so each decoding step attends to the
// past without recomputing it. Cross-attention keys/values (from the encoder) are computed once.
// The cache owns its tensors (outside any dispose scope); dispose it when decoding ends.
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class KeyValueCache : IDisposable
{
    private readonly LayerCache[] layers;

    public KeyValueCache(int layerCount)
    {
        layers = new LayerCache[layerCount];
        for (var i = 0; i < layerCount; i++) layers[i] = new LayerCache();
    }

    public LayerCache this[int layer] => layers[layer];

    /// <summary>Positions already cached (the offset of the next token).</summary>
    public long Length => layers.Length == 0 ? 0 : layers[0].Length;

    /// <summary>Keeps the batch rows named by <paramref name="indices"/> (int64, in that order): beam search reorders hypotheses this way.</summary>
    public void Reorder(Tensor indices)
    {
        foreach (var layer in layers) layer.Reorder(indices);
    }

    public void Dispose()
    {
        foreach (var layer in layers) layer.Dispose();
    }

    public sealed class LayerCache : IDisposable
    {
        private Tensor? keys, values;            // self-attention, (B, H, T, Dh)
        private Tensor? crossKeys, crossValues;  // cross-attention over the encoder output, (B, H, S, Dh)

        public long Length => keys?.size(2) ?? 0;

        /// <summary>Appends this step's keys/values and returns the full (past + new) ones; the returned tensors belong to the cache.</summary>
        public (Tensor keys, Tensor values) Append(Tensor newKeys, Tensor newValues)
        {
            keys = Replace(keys, keys is null ? newKeys.alias() : cat(new[] { keys, newKeys }, 2));
            values = Replace(values, values is null ? newValues.alias() : cat(new[] { values, newValues }, 2));
            return (keys, values);
        }

        public (Tensor keys, Tensor values)? Cross => crossKeys is null ? null : (crossKeys, crossValues!);

        public void SetCross(Tensor k, Tensor v)
        {
            crossKeys = Replace(crossKeys, k.alias());
            crossValues = Replace(crossValues, v.alias());
        }

        internal void Reorder(Tensor indices)
        {
            if (keys is not null) keys = Replace(keys, keys.index_select(0, indices));
            if (values is not null) values = Replace(values, values.index_select(0, indices));
            if (crossKeys is not null) crossKeys = Replace(crossKeys, crossKeys.index_select(0, indices));
            if (crossValues is not null) crossValues = Replace(crossValues, crossValues.index_select(0, indices));
        }

        private static Tensor Replace(Tensor? old, Tensor fresh)
        {
            old?.Dispose();
            return fresh.DetachFromDisposeScope();
        }

        public void Dispose()
        {
            keys?.Dispose();
            values?.Dispose();
            crossKeys?.Dispose();
            crossValues?.Dispose();
            keys = values = crossKeys = crossValues = null;
        }
    }
}
