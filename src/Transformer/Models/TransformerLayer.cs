// One Transformer layer, for encoders and decoders alike: self-attention (causal or not), optional
// cross-attention over an encoder's output, and the feed-forward network, each inside a residual
// connection. Sub-module names follow PyTorch's nn.TransformerEncoderLayer/DecoderLayer
// (self_attn, multihead_attn, norm1…norm3), with the feed-forward network under `feed_forward`.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class TransformerLayer : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    private readonly bool normFirst;
    private readonly double dropout;

    public MultiheadAttention self_attn { get; }
    public MultiheadAttention? multihead_attn { get; }
    public FeedForward feed_forward { get; }
    public LayerNorm norm1 { get; }
    public LayerNorm? norm2Cross { get; }
    public LayerNorm feedForwardNorm { get; }

    public TransformerLayer(ModelConfig config, bool crossAttention, RotaryEmbedding? rotary) : base(nameof(TransformerLayer))
    {
        normFirst = config.NormFirst;
        dropout = config.Dropout;
        self_attn = new MultiheadAttention(config.DModel, config.Heads, config.AttentionDropout, rotary);
        register_module(nameof(self_attn), self_attn);
        if (crossAttention)
        {
            multihead_attn = new MultiheadAttention(config.DModel, config.Heads, config.AttentionDropout);
            register_module(nameof(multihead_attn), multihead_attn);
        }
        feed_forward = new FeedForward(config.DModel, config.DFeedForward, config.Activation, config.Dropout);
        register_module(nameof(feed_forward), feed_forward);
        norm1 = nn.LayerNorm(config.DModel, config.LayerNormEps);
        register_module("norm1", norm1);
        if (crossAttention)
        {
            norm2Cross = nn.LayerNorm(config.DModel, config.LayerNormEps);
            register_module("norm2", norm2Cross);
        }
        feedForwardNorm = nn.LayerNorm(config.DModel, config.LayerNormEps);
        register_module(crossAttention ? "norm3" : "norm2", feedForwardNorm);
    }

    /// <summary>x (B, T, D); selfMask additive (causal and/or padding); memory (B, S, D) with its additive mask
    /// for decoder layers. With a recorder, each attention's per-head weights are recorded. Returns (B, T, D).</summary>
    public Tensor forward(Tensor x, Tensor? selfMask, Tensor? memory = null, Tensor? memoryMask = null, KeyValueCache.LayerCache? cache = null,
        AttentionRecorder? recorder = null)
    {
        using var attended = Residual.Apply(x, norm1, normFirst, dropout, training,
            h => Attend(self_attn, AttentionKind.Self, h, null, selfMask, cache, recorder));
        if (multihead_attn is null)
            return Residual.Apply(attended, feedForwardNorm, normFirst, dropout, training, feed_forward.forward);
        if (memory is null) throw new ArgumentException("a decoder layer with cross-attention needs the encoder output (memory)");
        using var crossed = Residual.Apply(attended, norm2Cross!, normFirst, dropout, training,
            h => Attend(multihead_attn, AttentionKind.Cross, h, memory, memoryMask, cache, recorder));
        return Residual.Apply(crossed, feedForwardNorm, normFirst, dropout, training, feed_forward.forward);
    }

    private static Tensor Attend(MultiheadAttention attention, AttentionKind kind, Tensor h, Tensor? keyValue, Tensor? mask,
        KeyValueCache.LayerCache? cache, AttentionRecorder? recorder)
    {
        if (recorder is null) return attention.forward(h, keyValue, mask, cache).output;
        var (output, weights) = attention.forward(h, keyValue, mask, cache, needWeights: true, averageWeights: false);
        using (weights) recorder.Record(kind, weights!);                                       // (B, H, Tq, Tk)
        return output;
    }
}
