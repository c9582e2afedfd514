// Decoding steps for a translation-style model: the source batch is encoded once, the target starts
// with BOS, and each step feeds one token per row. With the cache, each step runs the decoder on the
// new token only (cross-attention keys/values computed once); without it, each step recomputes the
// whole target prefix (the reference the cache is tested against, and a benchmark baseline).
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public sealed class EncoderDecoderStepper : IDecoderStep
{
    private readonly EncoderDecoder model;
    private readonly long bos;
    private readonly bool useCache;
    private Tensor? source;            // until Start
    private EncodedSource? encoded;
    private KeyValueCache? cache;
    private Tensor? history;           // without the cache: (B, T) every target token so far, BOS first

    /// <param name="source">(B, S) int64 source ids, padded with the model's padding id.</param>
    /// <param name="bos">The id every target starts with (not the padding id).</param>
    /// <param name="useCache">Decode with the key/value cache (false: recompute the prefix every step).</param>
    public EncoderDecoderStepper(EncoderDecoder model, Tensor source, long bos, bool useCache = true)
    {
        DecodingMath.CheckEval(model, "encoder-decoder model");
        if (source.dim() != 2 || source.dtype != ScalarType.Int64 || source.size(0) == 0)
            throw new ArgumentException($"source must be a non-empty (B, S) int64 tensor, got {source.dtype} of shape [{string.Join(", ", source.shape)}]");
        var vocab = model.Config.TargetVocabSize;
        if (bos < 0 || bos >= vocab) throw new ArgumentException($"bos {bos} is outside the target vocabulary of {vocab} tokens");
        if (bos == model.Config.PadIndex) throw new ArgumentException($"bos must not be the padding id ({bos})");
        this.model = model;
        this.bos = bos;
        this.useCache = useCache;
        this.source = source.alias().DetachFromDisposeScope();
        BatchSize = (int)source.size(0);
    }

    public int BatchSize { get; private set; }
    public long VocabSize => model.Config.TargetVocabSize;

    public Tensor Start()
    {
        if (source is null) throw new InvalidOperationException("Start was already called on this stepper.");
        using var scope = NewDisposeScope();
        var e = model.Encode(source);
        encoded = new EncodedSource(e.Memory.DetachFromDisposeScope(), e.Padding.DetachFromDisposeScope(), e.Mask.DetachFromDisposeScope());
        source.Dispose();
        source = null;
        var start = full(new long[] { BatchSize, 1 }, bos, ScalarType.Int64, encoded.Memory.device);
        if (useCache) cache = model.NewCache();
        else history = DecodingMath.Own(null, start);
        return scope.MoveToOuter(Next(start));
    }

    public Tensor Step(Tensor tokens)
    {
        if (encoded is null) throw new InvalidOperationException("Call Start before Step.");
        using var scope = NewDisposeScope();
        if (!useCache) history = DecodingMath.Own(history, cat(new[] { history!, tokens }, 1));
        return scope.MoveToOuter(Next(tokens));
    }

    private Tensor Next(Tensor tokens)
    {
        using var logits = useCache ? model.Decode(tokens, encoded!, cache) : model.Decode(history!, encoded!);
        return DecodingMath.LastLogProbs(logits, model.Config.PadIndex);
    }

    public void Reorder(Tensor indices)
    {
        if (encoded is null) throw new InvalidOperationException("Call Start before Reorder.");
        using var scope = NewDisposeScope();
        var selected = encoded.Select(indices);
        encoded.Dispose();
        encoded = new EncodedSource(selected.Memory.DetachFromDisposeScope(), selected.Padding.DetachFromDisposeScope(), selected.Mask.DetachFromDisposeScope());
        cache?.Reorder(indices);
        if (history is not null) history = DecodingMath.Own(history, history.index_select(0, indices));
        BatchSize = (int)indices.size(0);
    }

    public void Dispose()
    {
        source?.Dispose();
        encoded?.Dispose();
        cache?.Dispose();
        history?.Dispose();
        source = history = null;
        encoded = null;
        cache = null;
    }
}
