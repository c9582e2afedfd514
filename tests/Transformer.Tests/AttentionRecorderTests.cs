// The attention weights a recorder captures during a real forward pass, against softmax(q kᵀ / √d_h + mask)
// computed by hand (loops over doubles) from each layer's in_proj weights and its input; and the views of them.
using System.Text.Json;
using SkiaSharp;
using Transformer.Visualization;

namespace Transformer.Tests;

public class AttentionRecorderTests
{
    private const int D = 8, H = 2;

    private static EncoderDecoder TinyEncoderDecoder() => EncoderDecoder.Build(new EncoderDecoderConfig
    {
        SourceVocabSize = 11, TargetVocabSize = 11, DModel = D, Heads = H, DFeedForward = 16, EncoderLayers = 2, DecoderLayers = 2,
        Dropout = 0, AttentionDropout = 0, NormFirst = true, MaxPositions = 16,
    }, seed: 3);

    private static DecoderOnly TinyDecoderOnly() => DecoderOnly.Build(new DecoderOnlyConfig
    {
        VocabSize = 11, DModel = D, Heads = H, DFeedForward = 16, Layers = 2, Dropout = 0, AttentionDropout = 0, MaxPositions = 16,
    }, seed: 4);

    private static Tensor Row(params long[] ids) => tensor(ids, new long[] { 1, ids.Length });

    [Fact]
    public void Decoder_only_weights_of_every_layer_equal_the_hand_computed_causal_softmax()
    {
        using var scope = NewDisposeScope();
        using var model = TinyDecoderOnly();
        model.eval();
        using var _ = no_grad();
        var tokens = Row(3, 7, 1, 9, 4);
        using var recorder = new AttentionRecorder();
        model.forward(tokens, null, recorder: recorder);

        Assert.Equal(["decoder 0 Self", "decoder 1 Self"], recorder.Records.Select(r => $"{r.Stack} {r.Layer} {r.Kind}"));
        var causal = AttentionMask.Causal(5, 5, 0, ScalarType.Float32, CPU);
        var x = ModelParts.Embed(model.embed, model.positions, tokens, 0, 0, false);       // layer 0's input (1, T, D)
        for (var l = 0; l < 2; l++)
        {
            var layer = model.decoder.layers[l];
            var input = model.Config.NormFirst ? layer.norm1.forward(x) : x;      // post-LN: attention sees x itself
            var expected = HandWeights(layer.self_attn, input, input, causal: true);
            var recorded = recorder.Records[l].Weights;
            Assert.Equal(new long[] { 1, H, 5, 5 }, recorded.shape);
            TensorAssert.Close(expected, recorded, 1e-5);
            for (var q = 0; q < 5; q++)                               // nothing above the diagonal, rows sum to 1
            {
                for (var k = q + 1; k < 5; k++) Assert.All(Enumerable.Range(0, H), h => Assert.Equal(0f, recorded[0, h, q, k].item<float>()));
                Assert.All(Enumerable.Range(0, H), h => Assert.Equal(1.0, recorded[0, h, q].sum().item<float>(), 5));
            }
            x = layer.forward(x, causal);
        }
    }

    [Fact]
    public void Encoder_decoder_weights_equal_the_hand_computed_softmax_for_encoder_self_decoder_self_and_cross_attention()
    {
        using var scope = NewDisposeScope();
        using var model = TinyEncoderDecoder();
        model.eval();
        using var _ = no_grad();
        var source = Row(4, 5, 6, 7);
        var target = Row(1, 8, 9);
        using var recorder = new AttentionRecorder();
        using (var encoded = model.Encode(source, recorder)) model.Decode(target, encoded, recorder: recorder);

        Assert.Equal(["encoder 0 Self", "encoder 1 Self", "decoder 0 Self", "decoder 0 Cross", "decoder 1 Self", "decoder 1 Cross"],
            recorder.Records.Select(r => $"{r.Stack} {r.Layer} {r.Kind}"));
        var encoderLayer = model.encoder.layers[0];
        var sourceX = ModelParts.Embed(model.source_embed, model.positions, source, 0, 0, false);
        TensorAssert.Close(HandWeights(encoderLayer.self_attn, encoderLayer.norm1.forward(sourceX), encoderLayer.norm1.forward(sourceX), causal: false),
            recorder.Records[0].Weights, 1e-5);

        // Decoder layer 0: self-attention over the pre-normed target embedding, then cross-attention from the pre-normed
        // residual stream onto the encoder output (memory).
        using var memory = model.Encode(source);
        var decoderLayer = model.decoder.layers[0];
        var targetX = ModelParts.Embed(model.target_embed, model.positions, target, 0, 0, false);
        var selfInput = decoderLayer.norm1.forward(targetX);
        TensorAssert.Close(HandWeights(decoderLayer.self_attn, selfInput, selfInput, causal: true), recorder.Records[2].Weights, 1e-5);
        var causal = AttentionMask.Causal(3, 3, 0, ScalarType.Float32, CPU);
        var afterSelf = targetX + decoderLayer.self_attn.forward(selfInput, null, causal).output;
        var crossInput = decoderLayer.norm2Cross!.forward(afterSelf);
        var cross = recorder.Records[3].Weights;
        Assert.Equal(new long[] { 1, H, 3, 4 }, cross.shape);
        TensorAssert.Close(HandWeights(decoderLayer.multihead_attn!, crossInput, memory.Memory, causal: false), cross, 1e-5);
    }

    [Fact]
    public void The_head_average_equals_the_attention_modules_own_averaged_weights_and_the_mean_of_the_heads()
    {
        using var scope = NewDisposeScope();
        using var model = TinyDecoderOnly();
        model.eval();
        var set = AttentionCapture.Run(model, [3, 7, 1, 9], ["a", "b", "c", "d"]);
        Assert.Equal(2, set.Layers.Count);
        Assert.Null(set.TargetTokens);

        using var _ = no_grad();
        var layer0 = model.decoder.layers[0];
        var x = ModelParts.Embed(model.embed, model.positions, Row(3, 7, 1, 9), 0, 0, false);
        var input = model.Config.NormFirst ? layer0.norm1.forward(x) : x;
        var (_, averaged) = layer0.self_attn.forward(input, null, AttentionMask.Causal(4, 4, 0, ScalarType.Float32, CPU), needWeights: true);
        var layer = set.Layers[0];
        TensorAssert.Close(averaged!.data<float>().ToArray().Select(v => (double)v).ToArray(), tensor(layer.Mean.SelectMany(r => r).ToArray()), 1e-6);
        for (var q = 0; q < 4; q++)
            for (var k = 0; k < 4; k++)
                Assert.Equal(layer.Heads.Average(h => (double)h[q][k]), layer.Mean[q][k], 6);
    }

    [Fact]
    public void Recording_leaves_the_models_output_unchanged()
    {
        using var scope = NewDisposeScope();
        using var model = TinyEncoderDecoder();
        model.eval();
        using var _ = no_grad();
        var (source, target) = (Row(4, 5, 6), Row(1, 8));
        var plain = model.forward(source, target);
        using var recorder = new AttentionRecorder();
        using var encoded = model.Encode(source, recorder);
        var recorded = model.Decode(target, encoded, recorder: recorder);
        Assert.Equal(plain.data<float>().ToArray(), recorded.data<float>().ToArray());
    }

    [Fact]
    public void A_capture_names_the_token_sequence_of_each_axis_and_renders_to_png_html_and_json()
    {
        using var model = TinyEncoderDecoder();
        model.eval();
        var set = AttentionCapture.Run(model, [4, 5, 6, 7], ["Ġthe", "c", "a", "t"], [1, 8, 9], ["<s>", "x", "y"]);
        Assert.Equal(6, set.Layers.Count);
        var cross = set.Layers.Single(l => l is { Stack: "decoder", Layer: 1, Kind: AttentionKind.Cross });
        Assert.Equal((TokenSide.Target, TokenSide.Source), (cross.Queries, cross.Keys));
        Assert.Equal((TokenSide.Target, TokenSide.Target), (set.Layers[2].Queries, set.Layers[2].Keys));
        Assert.Equal((TokenSide.Source, TokenSide.Source), (set.Layers[0].Queries, set.Layers[0].Keys));
        Assert.Equal("decoder-layer1-cross", cross.Slug);

        var png = AttentionMaps.Png(set, cross);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        using (var bitmap = SKBitmap.Decode(png)) Assert.True(bitmap is { Width: > 300, Height: > 150 }, $"{bitmap.Width}×{bitmap.Height}");

        using var json = JsonDocument.Parse(AttentionPage.Json(set));
        Assert.Equal("Ġthe", json.RootElement.GetProperty("tokens_source")[0].GetString());
        var first = json.RootElement.GetProperty("layers")[3];
        Assert.Equal("cross", first.GetProperty("kind").GetString());
        Assert.Equal(H, first.GetProperty("heads").GetArrayLength());
        Assert.Equal(4, first.GetProperty("mean")[2].GetArrayLength());          // 3 target queries × 4 source keys

        var page = AttentionPage.Page(set, "a </script> title");
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.Contains("▁the", System.Text.RegularExpressions.Regex.Unescape(page));
        Assert.DoesNotContain("http", page);                                      // nothing loaded from outside
        Assert.DoesNotContain("</script> title", page);
    }

    [Theory]
    [InlineData("Ġthe", "▁the")]
    [InlineData("aĊ", "a↵")]
    [InlineData("plain", "plain")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmno…")]
    public void Tokens_read_with_visible_spaces_and_newlines(string token, string shown) => Assert.Equal(shown, AttentionSet.Readable(token));

    /// <summary>softmax(q kᵀ / √d_h + mask) per head, q from <paramref name="queryInput"/> (1, Tq, D) and k from
    /// <paramref name="keyInput"/> (1, Tk, D) through the module's packed in_proj weight and bias. Flattened (1, H, Tq, Tk).</summary>
    private static double[] HandWeights(MultiheadAttention attention, Tensor queryInput, Tensor keyInput, bool causal)
    {
        var w = attention.in_proj_weight.data<float>().ToArray();    // (3D, D): rows 0…D−1 make q, D…2D−1 make k
        var b = attention.in_proj_bias.data<float>().ToArray();
        var xq = queryInput.contiguous().data<float>().ToArray();
        var xk = keyInput.contiguous().data<float>().ToArray();
        var (tq, tk, dh) = (xq.Length / D, xk.Length / D, D / H);
        double Project(float[] x, int t, int row)
        {
            double sum = b[row];
            for (var i = 0; i < D; i++) sum += (double)w[row * D + i] * x[t * D + i];
            return sum;
        }
        var result = new double[H * tq * tk];
        for (var h = 0; h < H; h++)
            for (var q = 0; q < tq; q++)
            {
                var scores = new double[tk];
                for (var k = 0; k < tk; k++)
                {
                    if (causal && k > q) { scores[k] = double.NegativeInfinity; continue; }
                    for (var j = 0; j < dh; j++) scores[k] += Project(xq, q, h * dh + j) * Project(xk, k, D + h * dh + j);
                    scores[k] /= Math.Sqrt(dh);
                }
                var max = scores.Max();
                var exps = scores.Select(s => Math.Exp(s - max)).ToArray();
                for (var k = 0; k < tk; k++) result[(h * tq + q) * tk + k] = exps[k] / exps.Sum();
            }
        return result;
    }
}
