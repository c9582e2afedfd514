// The attention weights of one example, every layer and head, with the tokens on their axes: what
// AttentionCapture takes from a real forward pass and AttentionMaps / AttentionPage draw.
using Transformer.Models;

namespace Transformer.Visualization;

/// <summary>Which token sequence an attention axis runs over: the source (encoder input, or a decoder-only model's
/// text) or the target (the decoder input of an encoder-decoder: BOS and the output).</summary>
public enum TokenSide { Source, Target }

/// <summary>One attention sub-layer: <see cref="Heads"/>[h][query][key] and their average over heads
/// <see cref="Mean"/>[query][key]; each row sums to 1.</summary>
public sealed record AttentionLayer(string Stack, int Layer, AttentionKind Kind, TokenSide Queries, TokenSide Keys,
    float[][][] Heads, float[][] Mean)
{
    /// <summary>"encoder layer 0 self-attention".</summary>
    public string Title => $"{Stack} layer {Layer} {(Kind == AttentionKind.Self ? "self" : "cross")}-attention";

    /// <summary>"encoder-layer0-self": a file name stem.</summary>
    public string Slug => $"{Stack}-layer{Layer}-{(Kind == AttentionKind.Self ? "self" : "cross")}";
}

/// <summary><see cref="TargetTokens"/> is null for models without a decoder input (decoder-only models attend over
/// the source, classifiers too).</summary>
public sealed record AttentionSet(IReadOnlyList<string> SourceTokens, IReadOnlyList<string>? TargetTokens, IReadOnlyList<AttentionLayer> Layers)
{
    public IReadOnlyList<string> Tokens(TokenSide side) => side == TokenSide.Source ? SourceTokens
        : TargetTokens ?? throw new InvalidOperationException("this attention set has no target tokens");

    /// <summary>A token as it reads on an axis: byte-level BPE's space (Ġ) and newline (Ċ) markers become ▁ and ↵,
    /// control characters are escaped, and long tokens are cut to 16 characters.</summary>
    public static string Readable(string token)
    {
        var text = string.Concat(token.Select(c => c switch
        {
            'Ġ' or ' ' => "▁",
            'Ċ' or '\n' => "↵",
            'ĉ' or '\t' => "⇥",
            _ when char.IsControl(c) => $"\\x{(int)c:x2}",
            _ => c.ToString(),
        }));
        return text.Length <= 16 ? text : text[..15] + "…";
    }
}
