// Translation-style sequence-to-sequence Transformer (Vaswani et al. 2017): an encoder over the
// source, a causal decoder with cross-attention over the encoder's output, and an output projection
// (tied to the target embedding by default).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class EncoderDecoder : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    public EncoderDecoderConfig Config { get; }
    public TokenEmbedding source_embed { get; }
    public TokenEmbedding target_embed { get; }
    public PositionalEncoding positions { get; }
    public RotaryEmbedding? rotary { get; }
    public TransformerStack encoder { get; }
    public TransformerStack decoder { get; }
    public Linear? output_projection { get; }

    private EncoderDecoder(EncoderDecoderConfig config) : base(nameof(EncoderDecoder))
    {
        Config = config;
        source_embed = new TokenEmbedding(config.SourceVocabSize, config.DModel, config.PadIndex, config.ScaleEmbedding);
        target_embed = config.ShareEmbeddings ? source_embed
            : new TokenEmbedding(config.TargetVocabSize, config.DModel, config.PadIndex, config.ScaleEmbedding);
        positions = new PositionalEncoding(config.Positional, config.DModel, config.MaxPositions);
        rotary = ModelParts.Rotary(config);
        encoder = new TransformerStack(config, config.EncoderLayers, crossAttention: false, rotary);
        decoder = new TransformerStack(config, config.DecoderLayers, crossAttention: true, rotary);
        register_module(nameof(source_embed), source_embed);
        register_module(nameof(target_embed), target_embed);
        register_module(nameof(positions), positions);
        if (rotary is not null) register_module(nameof(rotary), rotary);
        register_module(nameof(encoder), encoder);
        register_module(nameof(decoder), decoder);
        ModelParts.InitializeStacks(encoder, decoder);
        if (config.TieOutput) return;
        output_projection = nn.Linear(config.DModel, config.TargetVocabSize, hasBias: false);
        register_module(nameof(output_projection), output_projection);
    }

    /// <summary>Validates the config and builds the model; with a seed, initialisation is reproducible.</summary>
    public static EncoderDecoder Build(EncoderDecoderConfig config, long? seed = null)
    {
        config.Validate();
        if (seed is { } s) manual_seed(s);
        return new EncoderDecoder(config);
    }

    /// <summary>source (B, S) → memory (B, S, D) and the source padding mask (B, S). A recorder records the encoder's
    /// attention weights (stack "encoder").</summary>
    public EncodedSource Encode(Tensor source, AttentionRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var padding = AttentionMask.Padding(source, Config.PadIndex);                          // (B, S)
        var mask = AttentionMask.KeyPadding(padding, ScalarType.Float32);                      // (B, 1, 1, S)
        var x = ModelParts.Embed(source_embed, positions, source, 0, Config.Dropout, training);
        var memory = encoder.forward(x, mask, recorder: recorder?.In(nameof(encoder)));
        return new EncodedSource(scope.MoveToOuter(memory), scope.MoveToOuter(padding), scope.MoveToOuter(mask));
    }

    /// <summary>target (B, T) → logits (B, T, V). Training passes the whole (shifted) target; decoding passes one
    /// step at a time with a cache (positions continue from the cache's length). A recorder records the decoder's self-
    /// and cross-attention weights (stack "decoder").</summary>
    public Tensor Decode(Tensor target, EncodedSource source, KeyValueCache? cache = null, AttentionRecorder? recorder = null)
    {
        using var scope = NewDisposeScope();
        var offset = cache?.Length ?? 0;
        var length = target.size(1);
        var causal = AttentionMask.Causal(length, offset + length, offset, ScalarType.Float32, target.device);
        var selfMask = cache is null
            ? AttentionMask.Combine(causal, AttentionMask.KeyPadding(AttentionMask.Padding(target, Config.PadIndex), ScalarType.Float32))
            : causal;
        var x = ModelParts.Embed(target_embed, positions, target, offset, Config.Dropout, training);
        var hidden = decoder.forward(x, selfMask, source.Memory, source.Mask, cache, recorder?.In(nameof(decoder)));
        return scope.MoveToOuter(ModelParts.Project(hidden, output_projection, target_embed.weight));
    }

    /// <summary>Teacher-forced logits (B, T, V) for source (B, S) and decoder input target (B, T).</summary>
    public Tensor forward(Tensor source, Tensor target)
    {
        using var encoded = Encode(source);
        return Decode(target, encoded);
    }

    public KeyValueCache NewCache() => new(Config.DecoderLayers);
}

/// <summary>The encoder's output with the masks the decoder needs; owns its tensors.</summary>
public sealed record EncodedSource(Tensor Memory, Tensor Padding, Tensor Mask) : IDisposable
{
    /// <summary>Keeps the batch rows named by <paramref name="indices"/> (e.g. each source repeated per beam).</summary>
    public EncodedSource Select(Tensor indices) =>
        new(Memory.index_select(0, indices), Padding.index_select(0, indices), Mask.index_select(0, indices));

    public void Dispose()
    {
        Memory.Dispose();
        Padding.Dispose();
        Mask.Dispose();
    }
}
