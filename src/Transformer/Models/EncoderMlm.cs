// BERT-style masked language model: the encoder of EncoderClassifier (embed, positions, encoder — the same modules
// under the same names, so a classifier can be initialised from it with init_modules: [embed, encoder]) and BERT's
// prediction head: dense d→d, GELU, LayerNorm, then the output projection (tied to the token embedding by default)
// plus a bias of its own.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class EncoderMlm : nn.Module<Tensor, Tensor>
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    public EncoderMlmConfig Config { get; }
    public TokenEmbedding embed { get; }
    public PositionalEncoding positions { get; }
    public RotaryEmbedding? rotary { get; }
    public TransformerStack encoder { get; }
    public MlmHead mlm_head { get; }

    private EncoderMlm(EncoderMlmConfig config) : base(nameof(EncoderMlm))
    {
        Config = config;
        embed = new TokenEmbedding(config.VocabSize, config.DModel, config.PadIndex, config.ScaleEmbedding);
        positions = new PositionalEncoding(config.Positional, config.DModel, config.MaxPositions);
        rotary = ModelParts.Rotary(config);
        encoder = new TransformerStack(config, config.Layers, crossAttention: false, rotary);
        mlm_head = new MlmHead(config.DModel, config.VocabSize, config.LayerNormEps, config.TieOutput);
        register_module(nameof(embed), embed);
        register_module(nameof(positions), positions);
        if (rotary is not null) register_module(nameof(rotary), rotary);
        register_module(nameof(encoder), encoder);
        register_module(nameof(mlm_head), mlm_head);
        ModelParts.InitializeStacks(encoder);
    }

    public static EncoderMlm Build(EncoderMlmConfig config, long? seed = null)
    {
        config.Validate();
        if (seed is { } s) manual_seed(s);
        return new EncoderMlm(config);
    }

    /// <summary>tokens (B, T) → logits (B, T, V) at every position.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var hidden = Encode(tokens);
        return Predict(hidden);
    }

    /// <summary>tokens (B, T) → the encoder's output (B, T, D); padding is never attended to. A recorder records every
    /// layer's attention weights (stack "encoder").</summary>
    public Tensor Encode(Tensor tokens, AttentionRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var padding = AttentionMask.Padding(tokens, Config.PadIndex);                   // (B, T)
        var mask = AttentionMask.KeyPadding(padding, ScalarType.Float32);
        var x = ModelParts.Embed(embed, positions, tokens, 0, Config.Dropout, training);
        return scope.MoveToOuter(encoder.forward(x, mask, recorder: recorder?.In(nameof(encoder))));   // (B, T, D)
    }

    /// <summary>Hidden states (…, D) → logits (…, V) through the head. Training applies it to the chosen positions
    /// only (N, D), which spares the (B·T, V) logits of the positions the loss ignores.</summary>
    public Tensor Predict(Tensor hidden) => mlm_head.forward(hidden, embed.weight);
}

/// <summary>BERT's MLM head (BertLMPredictionHead): transform = dense d→d, GELU (erf), LayerNorm; then logits = x Eᵀ + b
/// with E the tied token embedding (or an untied projection, output) and b a bias of its own.</summary>
public sealed class MlmHead : nn.Module
{
    // Sub-modules and parameters are registered explicitly; see EncoderMlm.
    protected override void RegisterComponents() { }

    public Linear dense { get; }
    public LayerNorm norm { get; }
    public Linear? output { get; }
    public Parameter bias { get; }

    public MlmHead(int dModel, int vocabSize, double layerNormEps, bool tied) : base(nameof(MlmHead))
    {
        dense = nn.Linear(dModel, dModel);
        norm = nn.LayerNorm(dModel, layerNormEps);
        bias = new Parameter(zeros(vocabSize));
        register_module(nameof(dense), dense);
        register_module(nameof(norm), norm);
        register_parameter(nameof(bias), bias);
        if (tied) return;
        output = nn.Linear(dModel, vocabSize, hasBias: false);
        register_module(nameof(output), output);
    }

    /// <summary>hidden (…, D) → logits (…, V); <paramref name="tiedWeight"/> (V, D) is used unless the head has its own output.</summary>
    public Tensor forward(Tensor hidden, Tensor tiedWeight)
    {
        using var scope = NewDisposeScope();
        var transformed = norm.forward(nn.functional.gelu(MatmulPrecision.Linear(dense, hidden)));   // (…, D)
        return scope.MoveToOuter(MatmulPrecision.Linear(transformed, output?.weight ?? tiedWeight, bias));
    }
}
