// Token ids → vectors, optionally scaled by √d_model (the paper, §3.4); the padding row stays zero
// and gets no gradient. Its weight can double as the output projection (tying).
using Transformer.Torch.Modules;
using static Transformer.Torch.torch;

namespace Transformer.Models;

public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly double scale;
    private readonly long padIndex;

    public Parameter weight { get; }

    public TokenEmbedding(int vocabSize, int dModel, int padIndex, bool scaleBySqrtDModel) : base(nameof(TokenEmbedding))
    {
        this.padIndex = padIndex;
        scale = scaleBySqrtDModel ? Math.Sqrt(dModel) : 1.0;
        weight = new Parameter(empty(vocabSize, dModel));
        register_parameter(nameof(weight), weight);
        // With the √d scale, N(0, d^-1/2) makes the scaled embeddings unit-variance (fairseq's choice);
        // without it, GPT-2's N(0, 0.02).
        nn.init.normal_(weight, 0, scaleBySqrtDModel ? 1 / Math.Sqrt(dModel) : 0.02);
        using (no_grad()) weight.index_put_(0.0, padIndex);
    }

    /// <summary>tokens (B, T) int64 → (B, T, D).</summary>
    public override Tensor forward(Tensor tokens)
    {
        var embedded = nn.functional.embedding(tokens, weight, padIndex);
        if (scale == 1.0) return embedded;
        using (embedded) return embedded * scale;
    }
}
