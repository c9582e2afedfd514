// A stack of identical layers with an optional final LayerNorm: the encoder (bidirectional), the
// decoder (causal, with cross-attention) and the decoder-only body are all this one class.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class TransformerStack : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    public ModuleList<TransformerLayer> layers { get; }
    public LayerNorm? norm { get; }

    public TransformerStack(ModelConfig config, int layerCount, bool crossAttention, RotaryEmbedding? rotary) : base(nameof(TransformerStack))
    {
        layers = nn.ModuleList(Enumerable.Range(0, layerCount).Select(_ => new TransformerLayer(config, crossAttention, rotary)).ToArray());
        register_module(nameof(layers), layers);
        if (!config.HasFinalNorm) return;
        norm = nn.LayerNorm(config.DModel, config.LayerNormEps);
        register_module(nameof(norm), norm);
    }

    /// <summary>x (B, T, D) → (B, T, D); a recorder records every layer's attention weights, by layer index.</summary>
    public Tensor forward(Tensor x, Tensor? selfMask, Tensor? memory = null, Tensor? memoryMask = null, KeyValueCache? cache = null,
        AttentionRecorder? recorder = null)
    {
        var h = x.alias();
        for (var i = 0; i < layers.Count; i++)
        {
            using var previous = h;
            h = layers[i].forward(previous, selfMask, memory, memoryMask, cache?[i], recorder?.AtLayer(i));
        }
        if (norm is null) return h;
        using (h) return norm.forward(h);
    }
}
