using Transformer.Training.Checkpoints;
// Parity with PyTorch: each case of scripts/parity/make_fixtures.py builds a reference model out of
// PyTorch 1.13's own modules (nn.Transformer, nn.TransformerEncoder, nn.Embedding, nn.Linear), runs it
// in train mode with dropout 0 on a right-padded batch, and saves weights, inputs, outputs, loss and
// every gradient. Here our model is built from the matching config, loads those weights through the
// documented name mapping (docs/parity.md) with load_state_dict(strict: true), and must reproduce
//   the outputs within 1e-5 (max |Δ|), the loss within 1e-5, every gradient within 1e-4,
//   and the parameter count exactly.
using Transformer.Models;
using Transformer.Engine;
using System.Globalization;
using System.Text.Json;
using Transformer.Data.Batching;
using Transformer.Training;
using Xunit.Abstractions;

namespace Transformer.Tests;

public class ParityTests(ParityFixture fixture, ITestOutputHelper output) : IClassFixture<ParityFixture>
{
    private const double OutputTolerance = 1e-5;
    private const double LossTolerance = 1e-5;
    private const double GradientTolerance = 1e-4;

    [Theory]
    [InlineData("encoder_decoder_post_ln")]
    [InlineData("encoder_decoder_pre_ln")]
    [InlineData("encoder_decoder_post_ln_tied")]
    [InlineData("decoder_only")]
    [InlineData("decoder_only_padded_untied")]
    [InlineData("encoder_classifier_post_ln")]
    [InlineData("encoder_classifier_pre_ln_gelu")]
    [InlineData("encoder_mlm_post_ln_tied")]
    [InlineData("encoder_mlm_pre_ln_untied")]
    public void Parity_with_PyTorch(string testCase)
    {
        using var file = Safetensors.Load(fixture.PathOf(testCase));
        using var scope = NewDisposeScope();
        var kind = file.Metadata["kind"];
        var config = ConfigFor(testCase);
        Assert.Equal(kind, config.GetType().Name.Replace("Config", "", StringComparison.Ordinal));
        AssertSameConfig(config, file.Metadata["config"]);

        var tensors = file.Tensors;
        Tensor Input(string name) => file["input." + name];
        var weights = tensors.Where(kv => kv.Key.StartsWith("param.", StringComparison.Ordinal))
            .ToDictionary(kv => ParityNames.ToOurs(kind, kv.Key["param.".Length..]), kv => kv.Value);

        using var model = Build(config);
        ModelWeights.Load(model, weights);
        model.train();

        var failures = new List<string>();
        var report = new List<string> { $"{testCase} ({kind}, PyTorch {file.Metadata["torch_version"]})" };
        void Check(string what, double diff, double tolerance)
        {
            report.Add($"  {what}: max |Δ| = {diff:E2} (tolerance {tolerance:E0})");
            if (!(diff <= tolerance)) failures.Add($"{what}: max |Δ| = {diff:E3} > {tolerance:E0}");
        }

        var torchCount = long.Parse(file.Metadata["parameter_count"], CultureInfo.InvariantCulture);
        var ourCount = model.ParameterCount();
        report.Add($"  parameters: ours {ourCount}, PyTorch {torchCount}");
        if (ourCount != torchCount) failures.Add($"parameter count: ours {ourCount}, PyTorch {torchCount}");

        Tensor logits, loss;
        switch (model)
        {
            case EncoderDecoder m:
            {
                var encoded = m.Encode(Input("source"));
                Check("encoder output (memory)", MaxAbsDiff(encoded.Memory, file["output.memory"]), OutputTolerance);
                logits = m.Decode(Input("target"), encoded);
                loss = SequenceLoss(logits, Input("labels"));
                break;
            }
            case DecoderOnly m:
                logits = tensors.ContainsKey("input.padding")
                    ? m.forward(Input("tokens"), null, Input("padding"))
                    : m.forward(Input("tokens"));
                loss = SequenceLoss(logits, Input("labels"));
                break;
            case EncoderClassifier m:
                logits = m.forward(Input("tokens"));
                loss = nn.functional.cross_entropy(logits, Input("labels"));
                break;
            case EncoderMlm m:
            {
                // The logits of every position against the reference's; the loss (and so the gradients) through the
                // training objective, which runs the head on the chosen positions only.
                logits = m.forward(Input("tokens"));
                using var batch = new MaskedLanguageModelBatch
                {
                    Examples = [0, 1, 2], At = DataCursor.Start, Next = DataCursor.Start, RealTokens = 0, Chosen = 0,
                    Input = Input("tokens").alias(), Labels = Input("labels").alias(),
                };
                loss = Objective.Compute(m, batch, labelSmoothing: 0).Loss;
                break;
            }
            default:
                throw new InvalidOperationException(model.GetType().Name);
        }
        Check("logits", MaxAbsDiff(logits, file["output.logits"]), OutputTolerance);
        var torchLoss = file["output.loss"].item<float>();
        var ourLoss = loss.item<float>();
        report.Add($"  loss: ours {ourLoss.ToString("R", CultureInfo.InvariantCulture)}, PyTorch {torchLoss.ToString("R", CultureInfo.InvariantCulture)}");
        Check("loss", Math.Abs(ourLoss - torchLoss), LossTolerance);

        loss.backward();
        var parameters = model.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        var gradients = tensors.Where(kv => kv.Key.StartsWith("grad.", StringComparison.Ordinal)).ToList();
        Assert.Equal(parameters.Count, gradients.Count);
        var (worst, worstName) = (0.0, "");
        foreach (var (key, expected) in gradients)
        {
            var torchName = key["grad.".Length..];
            var ours = parameters[ParityNames.ToOurs(kind, torchName)];
            using var grad = ours.grad;
            if (grad is null)
            {
                failures.Add($"{torchName}: no gradient in our model");
                continue;
            }
            var diff = MaxAbsDiff(grad, expected);
            if (!(diff <= GradientTolerance)) failures.Add($"gradient of {torchName}: max |Δ| = {diff:E3} > {GradientTolerance:E0}");
            if (diff > worst) (worst, worstName) = (diff, torchName);
        }
        report.Add($"  gradients ({gradients.Count} parameters): max |Δ| = {worst:E2} (tolerance {GradientTolerance:E0}), at {worstName} (ours: {(worstName.Length == 0 ? "" : ParityNames.ToOurs(kind, worstName))})");

        foreach (var line in report) output.WriteLine(line);
        Assert.True(failures.Count == 0, $"{testCase} differs from PyTorch:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_name_mapping_covers_PyTorch_layer_names()
    {
        Assert.Equal("encoder.layers.1.feed_forward.linear2.bias",
            ParityNames.ToOurs("EncoderDecoder", "transformer.encoder.layers.1.linear2.bias"));
        Assert.Equal("decoder.layers.0.multihead_attn.in_proj_weight",
            ParityNames.ToOurs("EncoderDecoder", "transformer.decoder.layers.0.multihead_attn.in_proj_weight"));
        Assert.Equal("decoder.norm.weight", ParityNames.ToOurs("EncoderDecoder", "transformer.decoder.norm.weight"));
        Assert.Equal("source_embed.weight", ParityNames.ToOurs("EncoderDecoder", "src_embed.weight"));
        Assert.Equal("decoder.layers.2.feed_forward.linear1.weight", ParityNames.ToOurs("DecoderOnly", "decoder.layers.2.linear1.weight"));
        Assert.Equal("encoder.layers.0.norm2.weight", ParityNames.ToOurs("EncoderClassifier", "encoder.layers.0.norm2.weight"));
        Assert.Throws<ArgumentException>(() => ParityNames.ToOurs("EncoderDecoder", "generator.weight"));
    }

    // ---- the configs matching the script's cases (checked against the config it records) ----

    internal static ModelConfig ConfigFor(string testCase) => testCase switch
    {
        "encoder_decoder_post_ln" => EncoderDecoderCase(normFirst: false, tie: false),
        "encoder_decoder_pre_ln" => EncoderDecoderCase(normFirst: true, tie: false),
        "encoder_decoder_post_ln_tied" => EncoderDecoderCase(normFirst: false, tie: true),
        "decoder_only" => DecoderOnlyCase(tie: true),
        "decoder_only_padded_untied" => DecoderOnlyCase(tie: false),
        "encoder_classifier_post_ln" => ClassifierCase(normFirst: false, FeedForwardActivation.Relu),
        "encoder_classifier_pre_ln_gelu" => ClassifierCase(normFirst: true, FeedForwardActivation.Gelu),
        "encoder_mlm_post_ln_tied" => MlmCase(normFirst: false, tie: true),
        "encoder_mlm_pre_ln_untied" => MlmCase(normFirst: true, tie: false),
        _ => throw new ArgumentException($"unknown case {testCase}", nameof(testCase)),
    };

    private static EncoderDecoderConfig EncoderDecoderCase(bool normFirst, bool tie) => new()
    {
        SourceVocabSize = 23, TargetVocabSize = 29, DModel = 32, Heads = 4, DFeedForward = 64,
        EncoderLayers = 2, DecoderLayers = 2, Dropout = 0, AttentionDropout = 0, LayerNormEps = 1e-5,
        NormFirst = normFirst, FinalNorm = true,        // nn.Transformer always has encoder.norm and decoder.norm
        ScaleEmbedding = true, TieOutput = tie, ShareEmbeddings = false,
        Positional = PositionalEncodingKind.Sinusoidal, MaxPositions = 16, PadIndex = 0, Activation = FeedForwardActivation.Relu,
    };

    private static DecoderOnlyConfig DecoderOnlyCase(bool tie) => new()
    {
        VocabSize = 31, Layers = 3, DModel = 32, Heads = 4, DFeedForward = 64, Dropout = 0, AttentionDropout = 0, LayerNormEps = 1e-5,
        NormFirst = true, FinalNorm = true, ScaleEmbedding = false, TieOutput = tie,
        Positional = PositionalEncodingKind.Sinusoidal, MaxPositions = 16, PadIndex = 0, Activation = FeedForwardActivation.Relu,
    };

    private static EncoderClassifierConfig ClassifierCase(bool normFirst, FeedForwardActivation activation) => new()
    {
        VocabSize = 19, NumClasses = 5, Layers = 2, DModel = 32, Heads = 4, DFeedForward = 64, Dropout = 0, AttentionDropout = 0,
        LayerNormEps = 1e-5, NormFirst = normFirst, FinalNorm = normFirst, ScaleEmbedding = true, Pooling = Pooling.Mean,
        Positional = PositionalEncodingKind.Sinusoidal, MaxPositions = 16, PadIndex = 0, Activation = activation,
    };

    private static EncoderMlmConfig MlmCase(bool normFirst, bool tie) => new()
    {
        VocabSize = 27, Layers = 2, DModel = 32, Heads = 4, DFeedForward = 64, Dropout = 0, AttentionDropout = 0, LayerNormEps = 1e-5,
        NormFirst = normFirst, FinalNorm = normFirst, ScaleEmbedding = true, TieOutput = tie,
        Positional = PositionalEncodingKind.Sinusoidal, MaxPositions = 16, PadIndex = 0, Activation = FeedForwardActivation.Gelu,
    };

    private static nn.Module Build(ModelConfig config) => Model.Build(config, seed: 0);

    /// <summary>Every key the script recorded must equal the same-named property of our config.</summary>
    private static void AssertSameConfig(ModelConfig config, string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var info = config.GetType().GetProperty(property.Name)
                ?? throw new InvalidOperationException($"the script's config key {property.Name} is no property of {config.GetType().Name}");
            var ours = info.GetValue(config);
            var same = property.Value.ValueKind switch
            {
                JsonValueKind.Number => ours is not null && Convert.ToDouble(ours, CultureInfo.InvariantCulture) == property.Value.GetDouble(),
                JsonValueKind.True or JsonValueKind.False => ours is bool b && b == property.Value.GetBoolean(),
                JsonValueKind.String => ours?.ToString() == property.Value.GetString(),
                _ => false,
            };
            Assert.True(same, $"config {property.Name}: ours {ours}, the script's {property.Value}");
        }
    }

    /// <summary>Mean cross entropy over the non-padding targets (ignore_index 0), as the script computes it.</summary>
    private static Tensor SequenceLoss(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index: 0);

    private static double MaxAbsDiff(Tensor ours, Tensor theirs)
    {
        Assert.Equal(theirs.shape, ours.shape);
        using var difference = ours.detach() - theirs;
        using var absolute = difference.abs();
        using var max = absolute.max();
        return max.item<float>();
    }
}
