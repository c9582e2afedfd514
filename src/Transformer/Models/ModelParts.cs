// Small pieces the three model kinds share: the input pipeline (embed → positions → dropout) and
// nn.Transformer's initialisation of the layer stacks.
using Transformer.Engine;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

internal static class ModelParts
{
    /// <summary>tokens (B, T) at positions offset… → dropout(embed(tokens) [+ PE]) (B, T, D).</summary>
    public static Tensor Embed(TokenEmbedding embed, PositionalEncoding positions, Tensor tokens, long offset, double dropout, bool training)
    {
        using var embedded = embed.forward(tokens);
        using var positioned = positions.forward(embedded, offset);
        return Fused.dropout(positioned, dropout, training);
    }

    /// <summary>xavier_uniform_ on every matrix of the stacks, as torch.nn.Transformer._reset_parameters does.</summary>
    public static void InitializeStacks(params nn.Module[] stacks)
    {
        foreach (var stack in stacks)
            foreach (var p in stack.parameters())
                if (p.dim() > 1) nn.init.xavier_uniform_(p);
    }

    public static RotaryEmbedding? Rotary(ModelConfig config) =>
        config.Positional == PositionalEncodingKind.Rotary ? new RotaryEmbedding(config.DModel / config.Heads, config.MaxPositions) : null;

    /// <summary>Logits from hidden states through the tied embedding or a separate projection.</summary>
    public static Tensor Project(Tensor hidden, Linear? projection, Parameter tiedWeight) =>
        MatmulPrecision.Linear(hidden, projection?.weight ?? tiedWeight, projection?.bias);
}
