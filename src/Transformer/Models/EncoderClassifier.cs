// Sequence classifier: a bidirectional Transformer encoder, pooling (first position or the mean over
// non-padding positions), dropout and a linear classification head.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class EncoderClassifier : nn.Module<Tensor, Tensor>
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    public EncoderClassifierConfig Config { get; }
    public TokenEmbedding embed { get; }
    public PositionalEncoding positions { get; }
    public RotaryEmbedding? rotary { get; }
    public TransformerStack encoder { get; }
    public Linear classifier { get; }

    private EncoderClassifier(EncoderClassifierConfig config) : base(nameof(EncoderClassifier))
    {
        Config = config;
        embed = new TokenEmbedding(config.VocabSize, config.DModel, config.PadIndex, config.ScaleEmbedding);
        positions = new PositionalEncoding(config.Positional, config.DModel, config.MaxPositions);
        rotary = ModelParts.Rotary(config);
        encoder = new TransformerStack(config, config.Layers, crossAttention: false, rotary);
        classifier = nn.Linear(config.DModel, config.NumClasses);
        register_module(nameof(embed), embed);
        register_module(nameof(positions), positions);
        if (rotary is not null) register_module(nameof(rotary), rotary);
        register_module(nameof(encoder), encoder);
        register_module(nameof(classifier), classifier);
        ModelParts.InitializeStacks(encoder);
    }

    public static EncoderClassifier Build(EncoderClassifierConfig config, long? seed = null)
    {
        config.Validate();
        if (seed is { } s) manual_seed(s);
        return new EncoderClassifier(config);
    }

    /// <summary>tokens (B, T) → class logits (B, C).</summary>
    public override Tensor forward(Tensor tokens) => forward(tokens, null);

    /// <summary>As <see cref="forward(Tensor)"/>; a recorder records every layer's attention weights (stack "encoder").</summary>
    public Tensor forward(Tensor tokens, AttentionRecorder? recorder)
    {
        using var scope = NewDisposeScope();
        var padding = AttentionMask.Padding(tokens, Config.PadIndex);                   // (B, T)
        var mask = AttentionMask.KeyPadding(padding, ScalarType.Float32);
        var x = ModelParts.Embed(embed, positions, tokens, 0, Config.Dropout, training);
        var hidden = encoder.forward(x, mask, recorder: recorder?.In(nameof(encoder)));  // (B, T, D)
        var pooled = Pool(hidden, padding);                                              // (B, D)
        var dropped = nn.functional.dropout(pooled, Config.Dropout, training);
        return scope.MoveToOuter(MatmulPrecision.Linear(classifier, dropped));
    }

    private Tensor Pool(Tensor hidden, Tensor padding)
    {
        if (Config.Pooling == Pooling.First) return hidden.select(1, 0);
        var keep = padding.logical_not().unsqueeze(-1).to(hidden.dtype);                 // (B, T, 1)
        var counts = keep.sum(1).clamp_min(1);                                           // (B, 1)
        return (hidden * keep).sum(1) / counts;
    }
}
