// Token ids → vectors, optionally scaled by √d_model (the paper, §3.4); the padding row stays zero
// and gets no gradient. Its weight can double as the output projection (tying).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    private readonly double scale;
    private readonly long padIndex;

    // Settable and re-registered, as TorchSharp's own modules do, so that Module.to(device or dtype) can replace it.
    public Parameter weight { get; private set => field = Registered(field, value, nameof(weight)); } = null!;

    // Replaces a parameter the way TorchSharp's own modules do in their setters: the old one is freed and the
    // new one registered under the same name (Module.to sets these properties).
    private Parameter Registered(Parameter? old, Parameter value, string name)
    {
        if (!ReferenceEquals(old, value)) old?.Dispose();
        ConditionallyRegisterParameter(name, value);
        return value;
    }

    public TokenEmbedding(int vocabSize, int dModel, int padIndex, bool scaleBySqrtDModel) : base(nameof(TokenEmbedding))
    {
        this.padIndex = padIndex;
        scale = scaleBySqrtDModel ? Math.Sqrt(dModel) : 1.0;
        weight = new Parameter(empty(vocabSize, dModel));
        // With the √d scale, N(0, d^-1/2) makes the scaled embeddings unit-variance (fairseq's choice);
        // without it, GPT-2's N(0, 0.02).
        nn.init.normal_(weight, 0, scaleBySqrtDModel ? 1 / Math.Sqrt(dModel) : 0.02);
        using (no_grad()) weight[padIndex].zero_();
    }

    /// <summary>tokens (B, T) int64 → (B, T, D).</summary>
    public override Tensor forward(Tensor tokens)
    {
        // F.embedding(tokens, weight, padding_idx), which TorchSharp lacks as a function: a row lookup whose padding
        // positions pass no gradient to the weight (their values are the padding row's, as in PyTorch).
        using var flat = tokens.reshape(-1);                                // (B·T)
        var rows = weight.index_select(0, flat);                           // (B·T, D)
        using (var padding = flat.eq(padIndex).unsqueeze(1))               // (B·T, 1)
        using (var anyPadding = padding.any())
        {
            if (anyPadding.item<bool>())
            {
                using var looked = rows;
                using var frozen = looked.detach();
                rows = where(padding, frozen, looked);
            }
        }
        using (rows)
        {
            var embedded = rows.view(tokens.size(0), tokens.size(1), -1);   // (B, T, D)
            if (scale == 1.0) return embedded;
            using (embedded) return embedded * scale;
        }
    }
}
