// Our state_dict names ↔ those of the torch.nn.Transformer-shaped reference models (docs/parity.md): an encoder–decoder
// is src_embed + nn.Transformer (transformer.encoder / transformer.decoder) + output_proj; a decoder-only model, a
// classifier and a masked language model keep our top-level names around an nn.TransformerEncoder. Inside a layer, nn.Transformer*Layer holds
// linear1/linear2 directly where ours nest them in feed_forward; every other name is the same.
using System.Text.RegularExpressions;

namespace Transformer.Models;

public static partial class PyTorchNames
{
    // (top-level name in the reference, ours), per kind; "transformer.encoder" is a prefix of deeper names.
    private static readonly (string Torch, string Ours)[] EncoderDecoderRoots =
        [("src_embed", "source_embed"), ("tgt_embed", "target_embed"), ("output_proj", "output_projection"),
         ("transformer.encoder", "encoder"), ("transformer.decoder", "decoder")];
    private static readonly (string Torch, string Ours)[] DecoderOnlyRoots = [("embed", "embed"), ("decoder", "decoder"), ("lm_head", "lm_head")];
    private static readonly (string Torch, string Ours)[] ClassifierRoots = [("embed", "embed"), ("encoder", "encoder"), ("classifier", "classifier")];
    private static readonly (string Torch, string Ours)[] MlmRoots = [("embed", "embed"), ("encoder", "encoder"), ("mlm_head", "mlm_head")];

    /// <summary>Our name for the reference's tensor <paramref name="torchName"/>, or null when the reference has no such
    /// module (the name is then not torch.nn.Transformer-shaped).</summary>
    public static string? ToOurs(ModelConfig config, string torchName) =>
        Rename(Roots(config), torchName, fromTorch: true) is { } name ? TorchFeedForward().Replace(name, "$1layers.$2.feed_forward.$3.") : null;

    /// <summary>The reference's name for our tensor <paramref name="ourName"/>, or null when the reference has none
    /// (learned positions, SwiGLU's linear3).</summary>
    public static string? ToPyTorch(ModelConfig config, string ourName)
    {
        if (Rename(Roots(config), ourName, fromTorch: false) is not { } name) return null;
        var renamed = OurFeedForward().Replace(name, "$1layers.$2.$3.");
        return renamed.Contains(".feed_forward.", StringComparison.Ordinal) ? null : renamed;
    }

    /// <summary>Whether a state dict's names are the reference's rather than ours: some layer holds linear1/linear2
    /// directly, or a name starts with one of nn.Transformer's own roots.</summary>
    public static bool LookLikePyTorch(IEnumerable<string> names) =>
        names.Any(n => TorchFeedForward().IsMatch(n) || EncoderDecoderRoots.Any(r => r.Torch != r.Ours && IsUnder(n, r.Torch)));

    /// <summary>Why a model of <paramref name="config"/> has no torch.nn.Transformer-shaped equivalent that its weights
    /// load into (strict), or null when it has one.</summary>
    public static string? Incompatibility(ModelConfig config) => config switch
    {
        { Positional: PositionalEncodingKind.Learned } => "model.positional learned (the reference has no position weights)",
        { Activation: FeedForwardActivation.SwiGlu } => "model.activation swiglu (nn.TransformerEncoderLayer has no third feed-forward matrix)",
        EncoderDecoderConfig { HasFinalNorm: false } => "no final norms (nn.Transformer always has encoder.norm and decoder.norm; set model.final_norm: true)",
        _ => null,
    };

    private static (string Torch, string Ours)[] Roots(ModelConfig config) => config switch
    {
        EncoderDecoderConfig => EncoderDecoderRoots,
        DecoderOnlyConfig => DecoderOnlyRoots,
        EncoderClassifierConfig => ClassifierRoots,
        EncoderMlmConfig => MlmRoots,
        _ => throw new ArgumentException($"unknown model kind {config.GetType().Name}", nameof(config)),
    };

    private static string? Rename((string Torch, string Ours)[] roots, string name, bool fromTorch)
    {
        foreach (var (torch, ours) in roots)
        {
            var (from, to) = fromTorch ? (torch, ours) : (ours, torch);
            if (IsUnder(name, from)) return to + name[from.Length..];
        }
        return null;
    }

    private static bool IsUnder(string name, string root) =>
        name.Length > root.Length && name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '.';

    [GeneratedRegex(@"(^|\.)layers\.(\d+)\.(linear[12])\.")]
    private static partial Regex TorchFeedForward();

    [GeneratedRegex(@"(^|\.)layers\.(\d+)\.feed_forward\.(linear[12])\.")]
    private static partial Regex OurFeedForward();
}
