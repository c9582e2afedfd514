// GPT-style language model: a causal Transformer stack over token embeddings, with the output
// projection tied to the input embedding by default.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class DecoderOnly : nn.Module<Tensor, Tensor>
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    public DecoderOnlyConfig Config { get; }
    public TokenEmbedding embed { get; }
    public PositionalEncoding positions { get; }
    public RotaryEmbedding? rotary { get; }
    public TransformerStack decoder { get; }
    public Linear? lm_head { get; }

    private DecoderOnly(DecoderOnlyConfig config) : base(nameof(DecoderOnly))
    {
        Config = config;
        embed = new TokenEmbedding(config.VocabSize, config.DModel, config.PadIndex, config.ScaleEmbedding);
        positions = new PositionalEncoding(config.Positional, config.DModel, config.MaxPositions);
        rotary = ModelParts.Rotary(config);
        decoder = new TransformerStack(config, config.Layers, crossAttention: false, rotary);
        register_module(nameof(embed), embed);
        register_module(nameof(positions), positions);
        if (rotary is not null) register_module(nameof(rotary), rotary);
        register_module(nameof(decoder), decoder);
        ModelParts.InitializeStacks(decoder);
        if (config.TieOutput) return;
        lm_head = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        register_module(nameof(lm_head), lm_head);
    }

    public static DecoderOnly Build(DecoderOnlyConfig config, long? seed = null)
    {
        config.Validate();
        if (seed is { } s) manual_seed(s);
        return new DecoderOnly(config);
    }

    /// <summary>tokens (B, T) → logits (B, T, V); positions never attend ahead.</summary>
    public override Tensor forward(Tensor tokens) => forward(tokens, null);

    /// <summary>With a cache, tokens are the next positions after the cached ones. <paramref name="padding"/> (B, Tk)
    /// marks key positions (cached and new) never to attend to, e.g. left padding in a batch of prompts. A recorder
    /// records every layer's attention weights (stack "decoder").</summary>
    public Tensor forward(Tensor tokens, KeyValueCache? cache, Tensor? padding = null, AttentionRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var offset = cache?.Length ?? 0;
        var length = tokens.size(1);
        var causal = AttentionMask.Causal(length, offset + length, offset, ScalarType.Float32, tokens.device);
        var mask = padding is null ? causal : AttentionMask.WithSelf(
            AttentionMask.Combine(causal, AttentionMask.KeyPadding(padding, ScalarType.Float32))!, length, offset);
        var x = ModelParts.Embed(embed, positions, tokens, offset, Config.Dropout, training);
        var hidden = decoder.forward(x, mask, cache: cache, recorder: recorder?.In(nameof(decoder)));
        return scope.MoveToOuter(ModelParts.Project(hidden, lm_head, embed.weight));
    }

    public KeyValueCache NewCache() => new(Config.Layers);
}
