// Multi-head attention with PyTorch's parameter layout: one packed in_proj_weight (3D, D) for
// queries, keys and values (a single fused matmul for self-attention), in_proj_bias, and out_proj.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Transformer.Models;

public sealed class MultiheadAttention : nn.Module
{
    // Sub-modules, parameters and buffers are registered explicitly under PyTorch's names; TorchSharp's
    // reflection over fields would register them a second time under the C# field names.
    protected override void RegisterComponents() { }

    private readonly int heads;
    private readonly long dModel;
    private readonly double dropout;
    private readonly RotaryEmbedding? rotary;

    // Settable and re-registered, as TorchSharp's own modules do, so that Module.to(device or dtype) can replace them.
    public Parameter in_proj_weight { get; private set => field = Registered(field, value, nameof(in_proj_weight)); } = null!;
    public Parameter in_proj_bias { get; private set => field = Registered(field, value, nameof(in_proj_bias)); } = null!;
    public Linear out_proj { get; }

    // Replaces a parameter the way TorchSharp's own modules do in their setters: the old one is freed and the
    // new one registered under the same name (Module.to sets these properties).
    private Parameter Registered(Parameter? old, Parameter value, string name)
    {
        if (!ReferenceEquals(old, value)) old?.Dispose();
        ConditionallyRegisterParameter(name, value);
        return value;
    }

    public MultiheadAttention(int dModel, int heads, double dropout, RotaryEmbedding? rotary = null) : base(nameof(MultiheadAttention))
    {
        if (dModel % heads != 0) throw new ArgumentException($"d_model {dModel} is not divisible by heads {heads}");
        this.heads = heads;
        this.dModel = dModel;
        this.dropout = dropout;
        this.rotary = rotary;
        in_proj_weight = new Parameter(empty(3L * dModel, dModel));
        in_proj_bias = new Parameter(zeros(3L * dModel));
        out_proj = nn.Linear(dModel, dModel);
        register_module(nameof(out_proj), out_proj);
        nn.init.xavier_uniform_(in_proj_weight);
        nn.init.zeros_(out_proj.bias!);
    }

    /// <summary>query (B, Tq, D); keyValue (B, Tk, D) for cross-attention, null for self-attention; mask additive,
    /// broadcastable to (B, H, Tq, Tk). With a cache, self-attention appends this step's keys/values (rotary
    /// positions start at the cached length) and cross-attention projects the encoder output only once.
    /// Returns (B, Tq, D) and, when asked, the weights: head-averaged (B, Tq, Tk), or per head (B, H, Tq, Tk) when
    /// <paramref name="averageWeights"/> is false (PyTorch's average_attn_weights).</summary>
    public (Tensor output, Tensor? weights) forward(Tensor query, Tensor? keyValue, Tensor? mask,
        KeyValueCache.LayerCache? cache = null, bool needWeights = false, bool averageWeights = true)
    {
        using var scope = NewDisposeScope();
        Tensor q, k, v;
        var offset = cache?.Length ?? 0;
        if (keyValue is null)
        {
            var qkv = MatmulPrecision.Linear(query, in_proj_weight, in_proj_bias).chunk(3, -1);   // 3 × (B, T, D)
            (q, k, v) = (Heads(qkv[0]), Heads(qkv[1]), Heads(qkv[2]));                       // (B, H, T, Dh)
            if (rotary is not null) (q, k) = (rotary.Apply(q, offset), rotary.Apply(k, offset));
            if (cache is not null) (k, v) = cache.Append(k, v);
        }
        else
        {
            q = Heads(MatmulPrecision.Linear(query, in_proj_weight.narrow(0, 0, dModel), in_proj_bias.narrow(0, 0, dModel)));
            if (cache?.Cross is { } cross) (k, v) = cross;
            else
            {
                var kv = MatmulPrecision.Linear(keyValue, in_proj_weight.narrow(0, dModel, 2 * dModel),
                    in_proj_bias.narrow(0, dModel, 2 * dModel)).chunk(2, -1);
                (k, v) = (Heads(kv[0]), Heads(kv[1]));
                cache?.SetCross(k, v);
            }
        }
        var (attended, weights) = Attention.ScaledDotProduct(q, k, v, mask, dropout, training, needWeights);
        var (b, h, t, dh) = (attended.size(0), attended.size(1), attended.size(2), attended.size(3));
        var merged = attended.transpose(1, 2).reshape(b, t, h * dh);                           // (B, Tq, D)
        var output = scope.MoveToOuter(MatmulPrecision.Linear(out_proj, merged));
        if (weights is null) return (output, null);
        return (output, scope.MoveToOuter(averageWeights ? weights.mean([1]) : weights));      // (B, Tq, Tk) or (B, H, Tq, Tk)
    }

    /// <summary>(B, T, D) → (B, H, T, Dh).</summary>
    private Tensor Heads(Tensor x)
    {
        var (b, t) = (x.size(0), x.size(1));
        return x.view(b, t, heads, dModel / heads).transpose(1, 2);
    }
}
