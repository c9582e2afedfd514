// The masked language model (EncoderMlm) and its objective: the loss is the cross entropy of the chosen positions alone
// (checked against log-softmax by hand, label smoothing included), the head is BERT's (checked by hand; the PyTorch
// comparison is in ParityTests' encoder_mlm cases), its encoder carries the classifier's names so a classifier starts
// from it, bf16 and data-parallel shards give the whole batch's loss, config mistakes are one line, and a short
// training on a tiny text raises the masked-token accuracy.
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Distributed;
using Transformer.Training;
using Transformer.Training.Checkpoints;
using Xunit.Abstractions;

namespace Transformer.Tests;

public sealed class EncoderMlmTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "encoder-mlm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static EncoderMlmConfig Tiny(bool tie = true) => new()
    {
        VocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 32, Layers = 2, Dropout = 0, MaxPositions = 16, TieOutput = tie,
    };

    private static EncoderMlm Perturbed(EncoderMlmConfig config, int seed = 3)
    {
        var model = EncoderMlm.Build(config, seed);
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var p in model.parameters())
            if (p.dim() == 1) p.add_(randn(p.shape, generator: generator) * 0.3);              // biases and norms away from 0 and 1
        return model;
    }

    private static readonly long[,] Tokens = { { 1, 5, 4, 7, 4, 9, 2 }, { 1, 6, 6, 4, 2, 0, 0 } };
    private static readonly long[,] Labels = { { -100, -100, 8, -100, 11, -100, -100 }, { -100, 3, -100, 12, -100, -100, -100 } };

    private static MaskedLanguageModelBatch Batch(long[,] tokens, long[,] labels) => new()
    {
        Examples = [.. Enumerable.Range(0, tokens.GetLength(0)).Select(i => (long)i)], At = DataCursor.Start, Next = DataCursor.Start,
        Input = tensor(tokens.Cast<long>().ToArray(), new long[] { tokens.GetLength(0), tokens.GetLength(1) }),
        Labels = tensor(labels.Cast<long>().ToArray(), new long[] { labels.GetLength(0), labels.GetLength(1) }),
        RealTokens = tokens.Length,
        Chosen = labels.Cast<long>().Count(l => l != MlmMasking.IgnoreIndex),
    };

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void The_loss_is_the_cross_entropy_of_the_chosen_positions_alone(double smoothing)
    {
        using var scope = NewDisposeScope();
        using var model = Perturbed(Tiny());
        model.eval();
        using var batch = Batch(Tokens, Labels);
        var result = Objective.Compute(model, batch, smoothing);

        // By hand from the full logits: (1 − ε)(lse − x_y) + ε/V Σ_j (lse − x_j), averaged over the 4 chosen positions.
        var logits = model.forward(batch.Input).data<float>().ToArray();                    // (2, 7, 13)
        const int v = 13;
        double total = 0;
        var chosen = 0;
        for (var b = 0; b < 2; b++)
            for (var t = 0; t < 7; t++)
            {
                if (Labels[b, t] == MlmMasking.IgnoreIndex) continue;
                var row = logits.AsSpan((b * 7 + t) * v, v).ToArray().Select(x => (double)x).ToArray();
                var lse = Math.Log(row.Sum(x => Math.Exp(x)));
                total += (1 - smoothing) * (lse - row[Labels[b, t]]) + smoothing / v * row.Sum(x => lse - x);
                chosen++;
            }
        Assert.Equal(4, chosen);
        Assert.Equal(4, result.Tokens);
        Assert.Equal(total / chosen, result.Loss.item<float>(), 5);
    }

    [Fact]
    public void The_objective_scores_the_chosen_positions_only_and_counts_their_argmax_hits()
    {
        // The head runs on the chosen positions alone: the objective's logits are theirs (N, V), in row-major order.
        using var scope = NewDisposeScope();
        using var model = Perturbed(Tiny());
        model.eval();
        using var batch = Batch(Tokens, Labels);
        var result = Objective.Compute(model, batch, 0);
        Assert.Equal(new long[] { 4, 13 }, result.Logits.shape);
        var correct = 0L;
        var full = model.forward(batch.Input);
        foreach (var (b, t) in new[] { (0, 2), (0, 4), (1, 1), (1, 3) })
            if (full[b, t].argmax().item<long>() == Labels[b, t]) correct++;
        Assert.Equal(correct, result.Correct);
    }

    [Fact]
    public void A_batch_with_nothing_chosen_has_loss_zero_and_no_tokens_and_still_backpropagates()
    {
        using var scope = NewDisposeScope();
        using var model = Perturbed(Tiny());
        var none = new long[2, 7];
        for (var b = 0; b < 2; b++) for (var t = 0; t < 7; t++) none[b, t] = MlmMasking.IgnoreIndex;
        using var batch = Batch(Tokens, none);
        var result = Objective.Compute(model, batch, 0);
        Assert.Equal(0f, result.Loss.item<float>());
        Assert.Equal(0, result.Tokens);
        result.Loss.backward();
    }

    [Fact]
    public void The_head_is_dense_gelu_layernorm_then_the_tied_embedding_plus_a_bias()
    {
        using var scope = NewDisposeScope();
        using var model = Perturbed(Tiny());
        model.eval();
        var hidden = randn(new long[] { 3, 16 }, generator: new Generator(9));
        var head = model.mlm_head;
        // By hand: z = h Wᵀ + b; g = z Φ(z) (erf GELU); n = (g − mean) / sqrt(var + eps) · γ + β; logits = n Eᵀ + bias.
        var z = hidden.matmul(head.dense.weight!.t()) + head.dense.bias!;
        var g = z * 0.5 * (1 + special.erf(z / Math.Sqrt(2)));
        var mean = g.mean([1], keepdim: true);
        var variance = (g - mean).pow(2).mean([1], keepdim: true);
        var n = (g - mean) / (variance + 1e-5).sqrt() * head.norm.weight! + head.norm.bias!;
        var expected = n.matmul(model.embed.weight.t()) + head.bias;
        var diff = (model.Predict(hidden) - expected).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"max |Δ| {diff}");

        using var untied = Perturbed(Tiny(tie: false));
        Assert.Contains("mlm_head.output.weight", untied.state_dict().Keys);
        Assert.DoesNotContain("mlm_head.output.weight", model.state_dict().Keys);
        // Tied: the embedding is the output matrix, counted once.
        Assert.Equal(untied.ParameterCount() - 13 * 16, model.ParameterCount());
    }

    [Fact]
    public void A_classifier_starts_from_the_pretrained_embed_and_encoder_by_name()
    {
        using var scope = NewDisposeScope();
        using var mlm = Perturbed(Tiny());
        Directory.CreateDirectory(root);
        var weights = Path.Combine(root, "mlm.safetensors");
        WeightsFile.Write(weights, mlm.state_dict(), WeightsFormat.Safetensors, overwrite: false);
        var classifierConfig = new EncoderClassifierConfig
        {
            VocabSize = 13, NumClasses = 2, DModel = 16, Heads = 2, DFeedForward = 32, Layers = 2, Dropout = 0, MaxPositions = 16,
            InitFrom = weights, InitModules = ["embed", "encoder"],
        };
        using var classifier = EncoderClassifier.Build(classifierConfig, seed: 11);
        var report = PretrainedWeights.Apply(classifierConfig, classifier)!;
        var ours = mlm.state_dict();
        var copied = classifier.state_dict().Where(kv => kv.Key.StartsWith("embed.") || kv.Key.StartsWith("encoder.")).ToList();
        Assert.Equal(copied.Count, report.CopiedTensors);
        Assert.Equal(classifier.state_dict().Count - copied.Count, report.InitialisedTensors);   // the classification head
        Assert.True(copied.Count > 10);
        foreach (var (name, tensor) in copied) Assert.True((tensor - ours[name]).abs().max().item<float>() == 0, name);
    }

    [Fact]
    public void Bf16_and_data_parallel_shards_give_the_whole_batchs_loss()
    {
        using var scope = NewDisposeScope();
        using var model = Perturbed(Tiny());
        model.eval();
        using var batch = Batch(Tokens, Labels);
        var whole = Objective.Compute(model, batch, 0);
        var loss = whole.Loss.item<float>();

        // Two ranks: each share's loss weighted by its chosen tokens sums to the whole batch's (the trainer's rule).
        double weighted = 0;
        long tokens = 0, chosen = 0;
        for (var rank = 0; rank < 2; rank++)
        {
            using var share = (MaskedLanguageModelBatch)BatchShard.Take(batch, rank, 2)!;
            var part = Objective.Compute(model, share, 0);
            weighted += part.Loss.item<float>() * part.Tokens;
            tokens += part.Tokens;
            chosen += share.Chosen;
            Assert.Equal(share.Input.numel(), share.RealTokens);
        }
        Assert.Equal(whole.Tokens, tokens);
        Assert.Equal(batch.Chosen, chosen);
        Assert.Equal(loss, weighted / tokens, 5);

        // bf16 matmuls: the same loss to bf16's precision, and gradients reach every parameter.
        model.train();
        using (MatmulPrecision.Use(Precision.Bf16))
        {
            var low = Objective.Compute(model, batch, 0);
            Assert.Equal(ScalarType.Float32, low.Loss.dtype);
            Assert.InRange(low.Loss.item<float>(), loss - 0.05, loss + 0.05);
            low.Loss.backward();
        }
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null, $"{p.name} has no gradient"));
    }

    private const string MlmYaml = """
        name: mlm
        model:
          kind: encoder_mlm
          vocab_size: 60
        data:
          kind: text
        tokenizer:
          kind: char
          special_tokens: { mask: "<mask>" }

        """;

    [Theory]
    [InlineData("mask: \"<mask>\"", "mask: null", "configs/x.yaml:9: tokenizer.special_tokens.mask: (missing) — expected a mask token (such as <mask>) for model.kind encoder_mlm")]
    [InlineData("kind: text", "kind: labeled", "configs/x.yaml:6: data.kind: 'labeled' — expected text for model.kind encoder_mlm")]
    [InlineData("vocab_size: 60", "vocab_size: 60\n  mask_probability: 1", "configs/x.yaml:5: model.mask_probability: 1 — expected a probability in (0, 1)")]
    public void Config_mistakes_are_one_line_naming_the_key(string from, string to, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(MlmYaml.Replace(from, to)));

    [Fact]
    public void A_valid_config_binds_to_the_mlm_record()
    {
        var config = ConfigSamples.Parse(MlmYaml);
        Assert.Equal(new EncoderMlmConfig { VocabSize = 60 }, config.Model);
        Assert.Equal(0.15, ((EncoderMlmConfig)config.Model).MaskProbability);
    }

    [Fact]
    public void A_short_training_on_a_tiny_text_raises_the_masked_token_accuracy()
    {
        string[] subjects = ["the cat", "a dog", "the bird", "my friend", "the old man"];
        string[] verbs = ["sat on", "looked at", "ran to", "walked past", "slept by"];
        string[] objects = ["the mat", "a tree", "the door", "the red house", "a small box"];
        var generator = new Data.SplitMix64(17);
        string Sentence() => $"{subjects[generator.NextBelow(5)]} {verbs[generator.NextBelow(5)]} {objects[generator.NextBelow(5)]}.";
        Directory.CreateDirectory(root);
        var train = Path.Combine(root, "train.txt");
        var valid = Path.Combine(root, "valid.txt");
        File.WriteAllLines(train, Enumerable.Range(0, 600).Select(_ => Sentence()));
        File.WriteAllLines(valid, Enumerable.Range(0, 60).Select(_ => Sentence()));
        var config = ConfigSamples.Parse(MlmYaml) with
        {
            Model = new EncoderMlmConfig { VocabSize = 60, DModel = 32, Heads = 2, DFeedForward = 64, Layers = 1, Dropout = 0, MaxPositions = 32 },
            Training = new TrainingConfig
            {
                MaxSteps = 120, BatchTokens = 32 * 16, LogEvery = 10, EvalEvery = 40,
                Optimizer = new OptimizerConfig { Lr = 3e-3 }, Schedule = new ScheduleConfig { WarmupSteps = 10 },
            },
            Checkpoint = new CheckpointConfig { Every = 120, KeepLast = 1 },
            Data = new DataConfig { Kind = DataKind.Text, Train = train, Valid = valid, PreparedDir = Path.Combine(root, "prepared") },
        };
        var run = Path.Combine(root, "run");
        using var data = (PreparedBatchSource)Experiment.Data(config, TextWriter.Null);
        using var model = Experiment.BuildModel(config);
        var before = Evaluator.Evaluate(model, data.Validation());
        Assert.Equal(["valid_loss", "valid_mlm_perplexity", "valid_mlm_accuracy"], before.Keys);
        Assert.Equal(Math.Exp(before["valid_loss"]), before["valid_mlm_perplexity"], 9);
        // The validation masks are fixed: evaluating again gives the same figures.
        Assert.Equal(before, Evaluator.Evaluate(model, data.Validation()));

        var outcome = new Trainer(config, model, data, run).Run();
        Assert.Equal(StopReason.MaxSteps, outcome.Reason);
        var records = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var trainRecord = records.First(r => r.GetProperty("kind").GetString() == "train");
        Assert.True(trainRecord.TryGetProperty("mlm_accuracy", out _) && trainRecord.TryGetProperty("mlm_perplexity", out _));
        Assert.False(trainRecord.TryGetProperty("token_accuracy", out _));
        var after = outcome.LastValidation["valid_mlm_accuracy"];
        output.WriteLine($"valid_mlm_accuracy {before["valid_mlm_accuracy"]:F3} → {after:F3}, valid_mlm_perplexity "
            + $"{before["valid_mlm_perplexity"]:F2} → {outcome.LastValidation["valid_mlm_perplexity"]:F2} after {outcome.Step} steps");
        Assert.True(after > before["valid_mlm_accuracy"] + 0.2,
            $"valid_mlm_accuracy {before["valid_mlm_accuracy"]:F3} before training, {after:F3} after 120 steps");
    }
}
