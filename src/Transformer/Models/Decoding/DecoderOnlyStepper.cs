// Decoding steps for a GPT-style model: the prompts are fed once, then one token per row per step.
//
// Prompts of different lengths: with the cache and a shift-invariant position encoding (rotary or
// none) they are left-padded into one batch and the padding keys are masked, which is exact because
// attention then only sees the offsets between positions. Absolute encodings (sinusoidal, learned)
// would see every padded prompt at shifted positions, so Create decodes those in groups of equal
// length (GroupedStepper), as it does without the cache; every row then sits at its true positions.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public sealed class DecoderOnlyStepper : IDecoderStep
{
    private readonly DecoderOnly model;
    private readonly bool useCache;
    private long[][]? prompts;         // until Start
    private KeyValueCache? cache;
    private Tensor? padding;           // with the cache and left padding: (B, Tk) true at padding keys
    private Tensor? history;           // without the cache: (B, T) every token so far

    private DecoderOnlyStepper(DecoderOnly model, long[][] prompts, bool useCache)
    {
        this.model = model;
        this.prompts = prompts;
        this.useCache = useCache;
        BatchSize = prompts.Length;
    }

    /// <summary>A stepper for a batch of prompts (token ids, at least one each, no padding id).</summary>
    /// <param name="useCache">Decode with the key/value cache (false: recompute the whole sequence every step).</param>
    public static IDecoderStep Create(DecoderOnly model, IReadOnlyList<long[]> prompts, bool useCache = true)
    {
        DecodingMath.CheckEval(model, "decoder-only model");
        if (prompts.Count == 0) throw new ArgumentException("prompts must hold at least one prompt");
        var (vocab, pad) = (model.Config.VocabSize, model.Config.PadIndex);
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Length == 0) throw new ArgumentException($"prompt {i} is empty: a prompt needs at least one token (e.g. BOS)");
            for (var j = 0; j < prompts[i].Length; j++)
            {
                var id = prompts[i][j];
                if (id < 0 || id >= vocab) throw new ArgumentException($"prompt {i} holds token {id} at position {j}, outside the vocabulary of {vocab} tokens");
                if (id == pad) throw new ArgumentException($"prompt {i} holds the padding id {pad} at position {j}");
            }
        }
        var copies = prompts.Select(p => (long[])p.Clone()).ToArray();
        var ragged = copies.Any(p => p.Length != copies[0].Length);
        var shiftInvariant = model.Config.Positional is PositionalEncodingKind.Rotary or PositionalEncodingKind.None;
        if (!ragged || (useCache && shiftInvariant)) return new DecoderOnlyStepper(model, copies, useCache);
        var groups = Enumerable.Range(0, copies.Length).GroupBy(i => copies[i].Length)
            .Select(g => (g.ToArray(), (IDecoderStep)new DecoderOnlyStepper(model, g.Select(i => copies[i]).ToArray(), useCache)));
        return new GroupedStepper(groups.ToList());
    }

    public int BatchSize { get; private set; }
    public long VocabSize => model.Config.VocabSize;

    private Device Device => model.embed.weight.device;

    public Tensor Start()
    {
        if (prompts is null) throw new InvalidOperationException("Start was already called on this stepper.");
        using var scope = NewDisposeScope();
        var (rows, longest, pad) = (prompts.Length, prompts.Max(p => p.Length), model.Config.PadIndex);
        var starts = prompts.Select(p => longest - p.Length).ToArray();     // first real position of each row
        var ids = new long[rows * longest];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < longest; j++) ids[i * longest + j] = j < starts[i] ? pad : prompts[i][j - starts[i]];
        var tokens = tensor(ids, new long[] { rows, longest }, device: Device);
        prompts = null;
        if (!useCache)
        {
            history = DecodingMath.Own(null, tokens);
            return scope.MoveToOuter(Next(history, null));
        }
        cache = model.NewCache();
        if (starts.All(s => s == 0)) return scope.MoveToOuter(Next(tokens, null));
        // Left padding. A query whose keys are all masked would give NaN (softmax over −∞ only), and the NaN
        // would reach real rows through the next layer's values (0 × NaN), so the prompt goes in chunks split
        // where some row's real tokens begin: a row that is all padding within a chunk attends to its own
        // padding (finite, never seen later); a row with real tokens masks its padding keys.
        var bounds = starts.Where(s => s > 0).Append(0).Append(longest).Distinct().Order().ToArray();
        Tensor? logProbs = null;
        for (var c = 0; c + 1 < bounds.Length; c++)
        {
            var (from, to) = (bounds[c], bounds[c + 1]);
            var keys = new bool[rows * to];
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < to && to > starts[i]; j++) keys[i * to + j] = j < starts[i];
            using var chunkPadding = tensor(keys, new long[] { rows, to }, device: Device);
            using var chunk = tokens.narrow(1, from, to - from);
            logProbs?.Dispose();
            logProbs = Next(chunk, chunkPadding);
        }
        var mask = new bool[rows * longest];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < starts[i]; j++) mask[i * longest + j] = true;
        padding = DecodingMath.Own(null, tensor(mask, new long[] { rows, longest }, device: Device));
        return scope.MoveToOuter(logProbs!);
    }

    public Tensor Step(Tensor tokens)
    {
        if (prompts is not null) throw new InvalidOperationException("Call Start before Step.");
        using var scope = NewDisposeScope();
        if (!useCache)
        {
            history = DecodingMath.Own(history, cat(new[] { history!, tokens }, 1));
            return scope.MoveToOuter(Next(history, null));
        }
        if (padding is not null)
        {
            var fresh = zeros(new long[] { tokens.size(0), 1 }, ScalarType.Bool, padding.device);
            padding = DecodingMath.Own(padding, cat(new[] { padding, fresh }, 1));
        }
        return scope.MoveToOuter(Next(tokens, padding));
    }

    private Tensor Next(Tensor tokens, Tensor? keyPadding)
    {
        using var logits = useCache ? model.forward(tokens, cache, keyPadding) : model.forward(tokens, null);
        return DecodingMath.LastLogProbs(logits, model.Config.PadIndex);
    }

    public void Reorder(Tensor indices)
    {
        if (prompts is not null) throw new InvalidOperationException("Call Start before Reorder.");
        using var scope = NewDisposeScope();
        cache?.Reorder(indices);
        if (padding is not null) padding = DecodingMath.Own(padding, padding.index_select(0, indices));
        if (history is not null) history = DecodingMath.Own(history, history.index_select(0, indices));
        BatchSize = (int)indices.size(0);
    }

    public void Dispose()
    {
        cache?.Dispose();
        padding?.Dispose();
        history?.Dispose();
        cache = null;
        padding = history = null;
    }
}
