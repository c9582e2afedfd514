// Fine-tuning from a pre-trained run: model.init_map (init_from across model kinds), training.freeze,
// training.optimizer.pretrained_lr (a second parameter group) and tokenizer.from (a run's tokenizer, reused).
// Expectations are the source tensors themselves, the fresh seed's initialisation, and AdamW's first step by hand.
using System.Text.Json;
using System.Text.Json.Nodes;
using Transformer.Configuration;
using Transformer.Engine;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class FineTuneTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("finetune-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // A classifier whose embed and encoder have the shapes of Translator()'s source_embed and encoder.
    private static EncoderClassifierConfig Classifier(int vocab = 11) => new()
    {
        VocabSize = vocab, NumClasses = 3, Layers = 1, DModel = 16, Heads = 2, DFeedForward = 24, MaxPositions = 12, Dropout = 0, FinalNorm = true,
    };

    private static EncoderDecoderConfig Translator() => new()
    {
        SourceVocabSize = 11, TargetVocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 24, EncoderLayers = 1, DecoderLayers = 2,
        MaxPositions = 12, FinalNorm = true, TieOutput = false,
    };

    private string Save(nn.Module model, string name)
    {
        var path = Path.Combine(dir, name);
        WeightsFile.Write(path, model.state_dict(), WeightsFormat.Safetensors, overwrite: false);
        return path;
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.cpu().eq(b.cpu()).all().item<bool>();

    private static bool Covered(string name, params string[] prefixes) => new ModuleSelection(prefixes).Contains(name);

    // ---- config ----

    [Fact]
    public void The_fine_tuning_keys_bind_from_yaml_and_survive_the_written_config()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal.Replace("vocab_size: 100", """
            vocab_size: 100
              init_from: runs/mlm
              init_modules: [embed, decoder]
              init_map: { decoder: encoder, embed: embed }
            training:
              freeze: [embed, decoder.layers.0]
              optimizer: { lr: 0.001, pretrained_lr: 0.0001 }
            """, StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, string> { ["decoder"] = "encoder", ["embed"] = "embed" }, config.Model.InitMap!);
        Assert.Equal(["decoder", "embed"], config.Model.InitMap!.Keys);   // the order written
        Assert.Equal(["embed", "decoder.layers.0"], config.Training.Freeze!);
        Assert.Equal(1e-4, config.Training.Optimizer.PretrainedLr);
        var yaml = ConfigWriter.ToYaml(config);
        Assert.Contains("\n  init_map: {decoder: encoder, embed: embed}\n", yaml);
        Assert.Contains("\n  freeze: [embed, decoder.layers.0]\n", yaml);
        Assert.Equal(config, ConfigLoader.Parse(yaml, "resolved.yaml"));
        var set = ConfigSamples.Parse(ConfigSamples.Minimal, "model.init_from=x.pt", "model.init_map.source_embed=embed");
        Assert.Equal("embed", set.Model.InitMap!["source_embed"]);
    }

    [Theory]
    [InlineData("model.init_map={a: b}", "--set: model.init_map: {a: b} — expected null unless model.init_from is set")]
    [InlineData("model.init_from=x.pt|model.init_map={}", "--set: model.init_map: {} — expected at least one entry {our module: its module in init_from}, or null")]
    [InlineData("model.init_from=x.pt|model.init_map={encoder.*: decoder}", "--set: model.init_map: 'encoder.*' — expected our module names as keys, such as source_embed or encoder (dot-separated, no wildcards)")]
    [InlineData("model.init_from=x.pt|model.init_map={encoder: [decoder]}", "--set: model.init_map.encoder: [decoder] — expected a string")]
    [InlineData("model.init_from=x.pt|model.init_map=[encoder]", "--set: model.init_map: [encoder] — expected a mapping of names to strings or null")]
    [InlineData("training.freeze=[]", "--set: training.freeze: [] — expected at least one module, or null to train every parameter")]
    [InlineData("training.freeze=[encoder/0]", "--set: training.freeze: 'encoder/0' — expected a module name such as embed, encoder or encoder.layers.0 (dot-separated, no wildcards)")]
    [InlineData("training.optimizer.pretrained_lr=0.0001", "--set: training.optimizer.pretrained_lr: 0.0001 — expected null unless model.init_from is set (it is the rate of the parameters init_from copies)")]
    [InlineData("model.init_from=x.pt|training.optimizer.pretrained_lr=0", "--set: training.optimizer.pretrained_lr: 0 — expected a positive number, or null (training.freeze keeps parameters fixed)")]
    [InlineData("tokenizer.from=runs/x|tokenizer.kind=word", "--set: tokenizer.kind: word — expected unset when tokenizer.from is set (the run's tokenizer is used as it is)")]
    public void Bad_fine_tuning_keys_are_one_line_naming_the_key(string overrides, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(ConfigSamples.Minimal, overrides.Split('|')));

    // ---- init_from across model kinds ----

    [Fact]
    public void Init_map_starts_an_encoder_decoder_from_a_classifier_copying_exactly_the_mapped_tensors()
    {
        using var source = Model.Build(Classifier(), seed: 1);
        var path = Save(source, "classifier.safetensors");
        var config = Translator() with { InitFrom = path, InitModules = ["source_embed", "encoder"], InitMap = new Dictionary<string, string> { ["source_embed"] = "embed" } };
        using var model = Model.Build(config, seed: 2);
        var fresh = Snapshot(model);

        var report = PretrainedWeights.Apply(config, model)!;

        var copied = 0;
        long copiedParameters = 0, allParameters = 0;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.numel());
        foreach (var (name, tensor) in model.state_dict())
        {
            allParameters += parameters.GetValueOrDefault(name);
            if (name.StartsWith("source_embed.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal))
            {
                var theirs = name.StartsWith("source_embed.", StringComparison.Ordinal) ? "embed." + name["source_embed.".Length..] : name;
                Assert.True(Same(source.state_dict()[theirs], tensor), $"{name} is not the classifier's {theirs}");
                if (tensor.dim() > 1) Assert.False(Same(fresh[name], tensor), $"{name}: the two seeds drew the same weights");
                copied++;
                copiedParameters += parameters.GetValueOrDefault(name);
            }
            else Assert.True(Same(fresh[name], tensor), $"{name} changed although not selected");
        }
        Assert.Equal(1 + 12 + 2, copied);   // the embedding, one layer's 12 tensors, the final norm's 2
        Assert.Equal(11 * 16 + (3 * 16 * 16 + 3 * 16) + (16 * 16 + 16) + (24 * 16 + 24) + (16 * 24 + 16) + 4 * 16 + 2 * 16, copiedParameters);
        Assert.Equal((copied, copiedParameters, model.state_dict().Count - copied, allParameters - copiedParameters),
            (report.CopiedTensors, report.CopiedParameters, report.InitialisedTensors, report.InitialisedParameters));
        Assert.Equal($"init_from {path}: 15 tensors of source_embed, encoder copied (source_embed ← embed; {copiedParameters:N0} parameters); "
            + $"{model.state_dict().Count - 15} tensors ({allParameters - copiedParameters:N0} parameters) keep their initialisation", report.ToString());
    }

    [Fact]
    public void A_classifier_starts_from_a_language_models_stack_through_init_map()
    {
        var lm = new DecoderOnlyConfig { VocabSize = 11, Layers = 2, DModel = 16, Heads = 2, DFeedForward = 24, MaxPositions = 12, Dropout = 0 };
        using var source = Model.Build(lm, seed: 1);
        var path = Save(source, "lm.safetensors");
        var config = Classifier() with
        {
            Layers = 2, NormFirst = true, ScaleEmbedding = false, InitFrom = path, InitModules = ["embed", "encoder"],
            InitMap = new Dictionary<string, string> { ["encoder"] = "decoder" },
        };
        using var model = Model.Build(config, seed: 2);
        var fresh = Snapshot(model);
        PretrainedWeights.Apply(config, model);
        foreach (var (name, tensor) in model.state_dict())
        {
            if (Covered(name, "embed", "encoder"))
                Assert.True(Same(source.state_dict()[name.StartsWith("encoder.", StringComparison.Ordinal) ? "decoder" + name["encoder".Length..] : name], tensor), name);
            else Assert.True(Same(fresh[name], tensor), $"{name} changed although not selected");
        }
    }

    [Fact]
    public void A_more_specific_init_map_entry_wins_and_one_module_of_the_file_can_start_two_of_ours()
    {
        // Both encoder layers start from the file's layer 1: the file's own layer 0 is not read.
        var twoLayers = Classifier() with { Layers = 2 };
        using var source = Model.Build(twoLayers, seed: 1);
        var path = Save(source, "deep.safetensors");
        var map = new Dictionary<string, string> { ["encoder"] = "encoder", ["encoder.layers.0"] = "encoder.layers.1" };
        var config = twoLayers with { InitFrom = path, InitModules = ["encoder"], InitMap = map };
        using var model = Model.Build(config, seed: 2);
        var fresh = Snapshot(model);
        var report = PretrainedWeights.Apply(config, model)!;
        foreach (var (name, tensor) in model.state_dict())
        {
            var theirs = name.StartsWith("encoder.layers.0.", StringComparison.Ordinal) ? "encoder.layers.1." + name["encoder.layers.0.".Length..] : name;
            Assert.True(Same(Covered(name, "encoder") ? source.state_dict()[theirs] : fresh[name], tensor), name);
        }
        Assert.Equal(2 * 12 + 2, report.CopiedTensors);
        Assert.Equal("encoder ← encoder, encoder.layers.0 ← encoder.layers.1", report.Map);
    }

    [Fact]
    public void A_shape_mismatch_across_kinds_is_one_line_naming_both_names_and_shapes_and_changes_nothing()
    {
        using var source = Model.Build(Classifier(vocab: 17), seed: 1);
        var path = Save(source, "wide.safetensors");
        var config = Translator() with { InitFrom = path, InitModules = ["source_embed", "encoder"], InitMap = new Dictionary<string, string> { ["source_embed"] = "embed" } };
        using var model = Model.Build(config, seed: 2);
        var before = Snapshot(model);
        var e = Assert.Throws<CheckpointException>(() => PretrainedWeights.Apply(config, model));
        Assert.Equal($"{path}: model.init_from does not fit this model: 1 tensor(s) of another shape: "
            + "source_embed.weight (embed.weight in the file) is [17, 16] in the file, [11, 16] in the model", e.Message);
        foreach (var (name, tensor) in model.state_dict()) Assert.True(Same(before[name], tensor), name);
    }

    [Fact]
    public void A_mapped_module_the_file_lacks_is_one_line_naming_it_and_the_files_modules()
    {
        using var source = Model.Build(Classifier(), seed: 1);
        var path = Save(source, "classifier.safetensors");
        var config = Translator() with { InitFrom = path, InitModules = ["source_embed"], InitMap = new Dictionary<string, string> { ["source_embed"] = "embeddings" } };
        using var model = Model.Build(config, seed: 2);
        var e = Assert.Throws<CheckpointException>(() => PretrainedWeights.Apply(config, model));
        Assert.Equal($"{path}: model.init_map source_embed: embeddings holds no tensor in this file (its modules: {string.Join(", ", source.state_dict().Keys.Select(k => k.Split('.')[0]).Distinct().Order(StringComparer.Ordinal))})", e.Message);
        var missing = Assert.Throws<CheckpointException>(() => PretrainedWeights.Apply(config with { InitModules = ["source_embed", "decoder"], InitMap = new Dictionary<string, string> { ["source_embed"] = "embed" } }, model));
        var decoder = model.state_dict().Keys.Count(k => k.StartsWith("decoder.", StringComparison.Ordinal));
        Assert.StartsWith($"{path}: model.init_from does not fit this model: {decoder} tensors missing, e.g. decoder.layers.0.", missing.Message);
    }

    [Fact]
    public void An_init_map_key_the_model_lacks_or_outside_init_modules_is_a_config_error()
    {
        using var model = Model.Build(Translator(), seed: 2);
        var e = Assert.Throws<ConfigException>(() => PretrainedWeights.Apply(Translator() with
        {
            InitFrom = "x.pt", InitModules = ["encoder"], InitMap = new Dictionary<string, string> { ["embed"] = "embed" },
        }, model));
        Assert.Equal("model.init_map: 'embed' — expected our module names as keys; this model's modules are source_embed, target_embed, encoder, decoder, output_projection (or one inside them, such as encoder.layers.0)", e.Message);
        var outside = Assert.Throws<ConfigException>(() => PretrainedWeights.Apply(Translator() with
        {
            InitFrom = "x.pt", InitModules = ["encoder"], InitMap = new Dictionary<string, string> { ["source_embed"] = "embed" },
        }, model));
        Assert.Equal("model.init_map: 'source_embed' — expected a module inside model.init_modules (encoder); add it there to copy it", outside.Message);
    }

    // ---- freeze, pretrained_lr and the trainer ----

    private static ExperimentConfig Tiny(long maxSteps, string? initFrom = null) => SequenceReversal.DefaultConfig() with
    {
        Model = new EncoderDecoderConfig
        {
            SourceVocabSize = SequenceReversal.VocabSize, TargetVocabSize = SequenceReversal.VocabSize, ShareEmbeddings = true,
            DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0.1, MaxPositions = 32,
            InitFrom = initFrom, InitModules = initFrom is null ? null : ["source_embed", "encoder"],
        },
        Training = SequenceReversal.DefaultConfig().Training with
        {
            MaxSteps = maxSteps, BatchTokens = 170, LogEvery = 1, EvalEvery = 4,
            Optimizer = new OptimizerConfig { Lr = 1e-2, WeightDecay = 0.1 }, Schedule = new ScheduleConfig { Name = ScheduleKind.Constant, WarmupSteps = 4 },
        },
        Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3 },
    };

    private static ExperimentConfig WithTraining(ExperimentConfig config, Func<TrainingConfig, TrainingConfig> change) =>
        config with { Training = change(config.Training) };

    /// <summary>A pre-trained encoder–decoder of Tiny's shapes, saved; its path.</summary>
    private string Pretrained()
    {
        using var source = Model.Build(Tiny(1).Model, seed: 99);
        return Save(source, "pretrained.safetensors");
    }

    private sealed record Trained(TrainingOutcome Outcome, double[] Losses, Dictionary<string, Tensor> Before, Dictionary<string, Tensor> After,
        Dictionary<string, Tensor> FirstGradients, InitReport? Report);

    private Trained Train(ExperimentConfig config, string run, bool resume = false)
    {
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = Model.Build(config.Model, config.Seed);
        var report = resume ? null : PretrainedWeights.Apply(config.Model, model);
        var before = Snapshot(model);
        var gradients = new Dictionary<string, Tensor>();
        var trainer = new Trainer(config, model, data, Path.Combine(dir, run))
        {
            InitFrom = report,
            AfterBackward = (m, step) =>
            {
                if (step != 1) return;
                foreach (var (name, p) in m.named_parameters())
                    if (p.grad is { } g) gradients[name] = g.detach().clone().DetachFromDisposeScope();
            },
        };
        var outcome = trainer.Run(resume);
        var losses = File.ReadLines(Path.Combine(dir, run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "train").Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        return new Trained(outcome, losses, before, Snapshot(model), gradients, report);
    }

    private static JsonObject OptimizerMetadata(string checkpoint)
    {
        using var file = Safetensors.Load(Path.Combine(checkpoint, Checkpoint.OptimizerFile));
        return JsonNode.Parse(file.Metadata["optimizer"])!.AsObject();
    }

    [Fact]
    public void Frozen_parameters_stay_bit_identical_get_no_gradient_and_are_not_in_the_optimizer_state()
    {
        var config = WithTraining(Tiny(6), t => t with { Freeze = ["encoder", "decoder.layers.0.self_attn"] });
        var trained = Train(config, "frozen");
        Assert.Equal(6, trained.Outcome.Step);
        using var probe = Model.Build(config.Model, config.Seed);
        var names = probe.named_parameters().Select(p => p.name).ToList();
        var frozen = names.Where(n => Covered(n, "encoder", "decoder.layers.0.self_attn")).ToList();
        Assert.Equal(12 + 4, frozen.Count);   // the encoder's one layer (post-LN: no final norm), the self-attention's 4
        foreach (var name in names)
        {
            var moved = !Same(trained.Before[name], trained.After[name]);
            Assert.True(frozen.Contains(name) ? !moved : moved, $"{name}: {(moved ? "changed" : "unchanged")}");
            Assert.Equal(!frozen.Contains(name), trained.FirstGradients.ContainsKey(name));
        }
        var metadata = OptimizerMetadata(trained.Outcome.LastCheckpoint!);
        var groups = metadata["param_groups"]!.AsArray();
        Assert.Single(groups);
        Assert.Equal(names.Count - frozen.Count, groups[0]!["params"]!.AsArray().Count);
        Assert.Equal(names.Count - frozen.Count, metadata["state"]!.AsObject().Count);
        // Every tensor, frozen ones included, is in the model checkpoint.
        using var weights = Safetensors.Load(Path.Combine(trained.Outcome.LastCheckpoint!, Checkpoint.ModelFile));
        foreach (var name in frozen) Assert.True(Same(trained.Before[name], weights.Tensors[name]), name);
    }

    [Fact]
    public void A_freeze_prefix_that_matches_no_parameter_is_one_line_naming_it()
    {
        var config = WithTraining(Tiny(2), t => t with { Freeze = ["encoders"] });
        var e = Assert.Throws<ConfigException>(() => Train(config, "typo"));
        Assert.Equal("training.freeze: 'encoders' — expected a module holding parameters: source_embed, encoder, decoder (or one inside them, such as encoder.layers.0)", e.Message);
        // positions holds a buffer, no parameter: freezing it would do nothing.
        Assert.StartsWith("training.freeze: 'positions' — expected a module holding parameters:",
            Assert.Throws<ConfigException>(() => Train(WithTraining(Tiny(2), t => t with { Freeze = ["positions"] }), "buffer")).Message);
        Assert.Equal("training.freeze: [source_embed, encoder, decoder] — expected modules that leave some parameter to train",
            Assert.Throws<ConfigException>(() => Train(WithTraining(Tiny(2), t => t with { Freeze = ["source_embed", "encoder", "decoder"] }), "all")).Message);
    }

    [Fact]
    public void Pretrained_lr_gives_the_copied_parameters_their_own_rate_the_schedule_scales_checked_against_adamw_by_hand()
    {
        const double lr = 1e-2, pretrainedLr = 1e-3, decay = 0.1, eps = 1e-8;
        var config = WithTraining(Tiny(3, Pretrained()), t => t with { Optimizer = t.Optimizer with { PretrainedLr = pretrainedLr } });
        var trained = Train(config, "two-rates", resume: false);
        Assert.NotNull(trained.Report);

        // Constant schedule with 4 warm-up steps: step 1 runs at 1/4 of each peak, and the checkpoint at step 3 holds 3/4.
        var metadata = OptimizerMetadata(trained.Outcome.LastCheckpoint!);
        var groups = metadata["param_groups"]!.AsArray();
        Assert.Equal(2, groups.Count);
        Assert.Equal(0.75 * pretrainedLr, groups[0]!["lr"]!.GetValue<double>(), 12);
        Assert.Equal(0.75 * lr, groups[1]!["lr"]!.GetValue<double>(), 12);
        using var probe = Model.Build(config.Model, config.Seed);
        var names = probe.named_parameters().Select(p => p.name).ToList();
        var pretrained = names.Where(n => Covered(n, "source_embed", "encoder")).ToList();
        Assert.Equal(pretrained.Count, groups[0]!["params"]!.AsArray().Count);
        Assert.Equal(names.Count - pretrained.Count, groups[1]!["params"]!.AsArray().Count);

        // AdamW's first step, by hand: m̂ = g, v̂ = g², so p₁ = p₀ (1 − η·λ) − η · g / (|g| + ε), with η the group's rate at step 1.
        var once = Train(WithTraining(config, t => t with { MaxSteps = 1 }), "one-step");
        foreach (var name in new[] { "encoder.layers.0.feed_forward.linear1.weight", "source_embed.weight", "decoder.layers.0.feed_forward.linear1.weight" })
        {
            var eta = (pretrained.Contains(name) ? pretrainedLr : lr) / 4;
            var p0 = once.Before[name].to_type(ScalarType.Float64);
            var g = once.FirstGradients[name].to_type(ScalarType.Float64);
            var expected = p0 * (1 - eta * decay) - eta * g / (g.abs() + eps);
            var actual = once.After[name].to_type(ScalarType.Float64);
            var error = (actual - expected).abs().max().item<double>();
            Assert.True(error < 2e-7, $"{name}: max |Δ| {error:G3} from the hand-computed AdamW step at lr {eta}");
            Assert.True((actual - p0).abs().max().item<double>() > 0.5 * eta, $"{name} barely moved");
        }
    }

    [Fact]
    public void A_resumed_frozen_two_group_run_equals_the_uninterrupted_run()
    {
        var path = Pretrained();
        ExperimentConfig Config(long steps) => WithTraining(Tiny(steps, path), t => t with
        {
            Freeze = ["decoder.layers.0.feed_forward"], Optimizer = t.Optimizer with { PretrainedLr = 2e-3 },
        });
        var whole = Train(Config(12), "whole");
        var first = Train(Config(8), "split");
        Assert.Equal(8, first.Outcome.Step);
        var resumed = Train(Config(12), "split", resume: true);
        Assert.Equal(12, resumed.Outcome.Step);
        Assert.Equal(whole.Losses, resumed.Losses);
        foreach (var (name, tensor) in whole.After) Assert.True(Same(tensor, resumed.After[name]), $"{name} differs after the resume");
        // What init_from copied is kept in every checkpoint's trainer.json, the resumed run's too.
        var state = Checkpoint.ReadState(resumed.Outcome.LastCheckpoint!);
        Assert.Equal(whole.Report, state.InitFrom);
        Assert.Equal(path, state.InitFrom!.Path);
    }

    // ---- tokenizer.from ----

    /// <summary>A run directory as `train` leaves it: config.yaml and the tokenizer it trained.</summary>
    private (string Run, Text.TextTokenizer Tokenizer) RunWithTokenizer(TokenizerConfig tokenizer)
    {
        var run = Path.Combine(dir, "runs", "pretrain");
        Directory.CreateDirectory(Path.Combine(run, "checkpoints", "step-4"));
        var trained = TokenizerFactory.Train(tokenizer, ["The cat sat on the mat.", "A dog sat on the log!", "the cat and the dog"]);
        trained.Save(run);
        var config = ConfigSamples.Parse(ConfigSamples.Minimal) with { Tokenizer = tokenizer };
        File.WriteAllText(Path.Combine(run, RunTokenizer.RunConfigFile), ConfigWriter.ToYaml(config));
        return (run, trained);
    }

    [Fact]
    public void Tokenizer_from_a_run_uses_its_tokenizer_section_and_files_and_gives_the_same_ids()
    {
        var (run, original) = RunWithTokenizer(new TokenizerConfig { Kind = TokenizerKind.Word, Lowercase = true, VocabSize = 40, MinFrequency = 1 });
        var config = ConfigSamples.Parse(ConfigSamples.Minimal, $"tokenizer.from={run}");
        Assert.Equal(new TokenizerConfig { Kind = TokenizerKind.Word, Lowercase = true, VocabSize = 40, MinFrequency = 1, Path = Path.Combine(run, "tokenizer.json") }, config.Tokenizer);
        var loaded = TokenizerFactory.Load(config.Tokenizer);
        const string text = "THE DOG sat on the cat";
        Assert.Equal(original.Encode(text), loaded.Encode(text));
        Assert.Equal(original.Hash, loaded.Hash);
        // A checkpoint of the run stands for the run; the written config names the resolved section and reloads as it is.
        Assert.Equal(config.Tokenizer, ConfigSamples.Parse(ConfigSamples.Minimal, $"tokenizer.from={Path.Combine(run, "checkpoints", "step-4")}").Tokenizer
            with { Path = config.Tokenizer.Path });
        Assert.Equal(config, ConfigLoader.Parse(ConfigWriter.ToYaml(config), "resolved.yaml"));
    }

    [Fact]
    public void Tokenizer_from_what_is_not_a_run_with_a_tokenizer_is_one_line()
    {
        Assert.Equal($"configs/x.yaml:8: tokenizer.from: '{dir}' — expected a run directory (with config.yaml) or one of its checkpoints",
            ConfigSamples.ErrorOf(ConfigSamples.Minimal + $"\ntokenizer:\n  from: {dir}"));
        Assert.Equal("--set: tokenizer.from: 'nowhere' — expected an existing run directory (with its config.yaml and tokenizer files) or one of its checkpoints",
            ConfigSamples.ErrorOf(ConfigSamples.Minimal, "tokenizer.from=nowhere"));
        var (run, _) = RunWithTokenizer(new TokenizerConfig { Kind = TokenizerKind.Char, VocabSize = 40, MinFrequency = 1 });
        File.Delete(Path.Combine(run, "tokenizer.json"));
        Assert.Equal($"--set: tokenizer.from: '{run}' — expected a run that kept its tokenizer ({run}/tokenizer.json is missing: did the run start training?)",
            ConfigSamples.ErrorOf(ConfigSamples.Minimal, $"tokenizer.from={run}"));
    }

    [Fact]
    public void Data_is_prepared_under_the_runs_tokenizer_and_a_smaller_vocabulary_is_refused()
    {
        var (run, original) = RunWithTokenizer(new TokenizerConfig { Kind = TokenizerKind.Word, VocabSize = 40, MinFrequency = 1 });
        var train = Path.Combine(dir, "train.txt");
        File.WriteAllLines(train, Enumerable.Repeat("the cat sat on the mat", 20).Concat(["a brand new word"]));
        var yaml = $"""
            name: tiny
            model: {"{"} kind: decoder_only, vocab_size: {original.VocabSize}, d_model: 16, heads: 2, d_ff: 32, layers: 1 {"}"}
            data: {"{"} kind: text, train: {train}, prepared_dir: {Path.Combine(dir, "prepared")} {"}"}
            tokenizer: {"{"} from: {run} {"}"}
            """;
        var config = ConfigSamples.Parse(yaml);
        using (var data = ExperimentData.Open(config, _ => { }))
        {
            Assert.Equal(original.Hash, data.Tokenizer.Hash);
            Assert.Equal(original.Hash, data.Meta.TokenizerHash);
        }
        var small = ConfigSamples.Parse(yaml, $"model.vocab_size={original.VocabSize - 1}");
        var e = Assert.Throws<ConfigException>(() => ExperimentData.Open(small, _ => { }));
        Assert.StartsWith($"model.vocab_size: {original.VocabSize - 1} — expected at least the tokenizer's vocabulary size ({original.VocabSize}", e.Message);
    }
}
