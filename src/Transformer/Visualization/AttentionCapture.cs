// Runs one example through a model with an AttentionRecorder and collects every layer's per-head
// weights, with the tokens of each axis: the model's real forward pass, in eval mode, no gradients.
using TorchSharp;
using Transformer.Models;
using static TorchSharp.torch;

namespace Transformer.Visualization;

public static class AttentionCapture
{
    /// <summary>Records the attention of one example. Encoder-decoders take the source ids and the decoder input
    /// <paramref name="target"/> (BOS first, teacher-forced); decoder-only models and classifiers take the source only.
    /// <paramref name="sourceTokens"/> and <paramref name="targetTokens"/> label the axes, one per id. The model must
    /// be in eval mode (dropout off) so the weights are the ones inference uses.</summary>
    public static AttentionSet Run(nn.Module model, long[] source, IReadOnlyList<string> sourceTokens,
        long[]? target = null, IReadOnlyList<string>? targetTokens = null)
    {
        if (model.training) throw new ArgumentException("the model must be in eval mode (model.eval()) to record its attention");
        if (source.Length == 0) throw new ArgumentException("the source has no tokens");
        if (sourceTokens.Count != source.Length)
            throw new ArgumentException($"{sourceTokens.Count} source token labels for {source.Length} source ids");
        var seq2seq = model is EncoderDecoder;
        if (seq2seq != target is not null)
            throw new ArgumentException(seq2seq ? "an encoder-decoder needs the decoder input (target)" : $"a {model.GetType().Name} takes no target");
        if (target is not null && (target.Length == 0 || targetTokens?.Count != target.Length))
            throw new ArgumentException($"{targetTokens?.Count ?? 0} target token labels for {target.Length} target ids");

        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        using var recorder = new AttentionRecorder();
        var device = model.parameters().First().device;
        var sourceRow = tensor(source, new long[] { 1, source.Length }).to(device);       // (1, S)
        switch (model)
        {
            case EncoderDecoder m:
                using (var encoded = m.Encode(sourceRow, recorder))
                    m.Decode(tensor(target!, new long[] { 1, target!.Length }).to(device), encoded, recorder: recorder);
                break;
            case DecoderOnly m:
                m.forward(sourceRow, null, recorder: recorder);
                break;
            case EncoderClassifier m:
                m.forward(sourceRow, recorder);
                break;
            case EncoderMlm m:
                m.Encode(sourceRow, recorder).Dispose();
                break;
            default:
                throw new ArgumentException($"cannot record the attention of a {model.GetType().Name}");
        }
        var layers = recorder.Records.Select(r => Layer(r, seq2seq)).ToArray();
        return new AttentionSet(sourceTokens.ToArray(), targetTokens?.ToArray(), layers);
    }

    private static AttentionLayer Layer(RecordedAttention r, bool seq2seq)
    {
        // Decoder queries run over the target of an encoder-decoder; keys too, except in cross-attention.
        var queries = seq2seq && r.Stack == "decoder" ? TokenSide.Target : TokenSide.Source;
        var keys = r.Kind == AttentionKind.Cross ? TokenSide.Source : queries;
        using var row = r.Weights.select(0, 0);                                               // (H, Tq, Tk)
        using var mean = row.mean([0]);                                                       // (Tq, Tk)
        var (h, tq, tk) = ((int)row.size(0), (int)row.size(1), (int)row.size(2));
        var heads = Enumerable.Range(0, h).Select(i => Matrix(row[i], tq, tk)).ToArray();
        return new AttentionLayer(r.Stack, r.Layer, r.Kind, queries, keys, heads, Matrix(mean, tq, tk));
    }

    private static float[][] Matrix(Tensor t, int rows, int columns)
    {
        using var contiguous = t.contiguous();
        var values = contiguous.data<float>().ToArray();
        return Enumerable.Range(0, rows).Select(q => values.AsSpan(q * columns, columns).ToArray()).ToArray();
    }
}
