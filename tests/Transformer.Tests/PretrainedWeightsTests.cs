// model.init_from / init_modules / init_from_format and the weights files behind them (WeightsFile, PyTorchNames,
// ModelWeights with a module selection), without Python; PyTorchInteropTests checks the files against PyTorch itself.
using Transformer.Configuration;
using Transformer.Models;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class PretrainedWeightsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("pretrained-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static EncoderClassifierConfig Classifier(int layers = 2, int classes = 3) => new()
    {
        VocabSize = 17, NumClasses = classes, Layers = layers, DModel = 16, Heads = 2, DFeedForward = 32, MaxPositions = 12, Dropout = 0,
    };

    private static EncoderDecoderConfig Translator() => new()
    {
        SourceVocabSize = 11, TargetVocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 24, EncoderLayers = 1, DecoderLayers = 2,
        MaxPositions = 12, FinalNorm = true, TieOutput = false,
    };

    private string Save(nn.Module model, string name, WeightsFormat format = WeightsFormat.Safetensors)
    {
        var path = Path.Combine(dir, name);
        WeightsFile.Write(path, model.state_dict(), format, overwrite: false);
        return path;
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void AssertSame(Tensor expected, Tensor actual, string name)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.cpu().eq(actual.cpu()).all().item<bool>(), $"{name} differs");
    }

    // ---- config ----

    [Fact]
    public void Init_keys_bind_from_yaml_and_survive_the_written_config()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal.Replace("vocab_size: 100",
            "vocab_size: 100\n  init_from: runs/lm\n  init_from_format: pytorch\n  init_modules: [embed, decoder.layers.0]", StringComparison.Ordinal));
        Assert.Equal("runs/lm", config.Model.InitFrom);
        Assert.Equal(WeightNames.PyTorch, config.Model.InitFromFormat);
        Assert.Equal(["embed", "decoder.layers.0"], config.Model.InitModules!);
        var yaml = ConfigWriter.ToYaml(config);
        Assert.Contains("\n  init_modules: [embed, decoder.layers.0]\n", yaml);
        Assert.Equal(config, ConfigLoader.Parse(yaml, "resolved.yaml"));
        Assert.Equal(["encoder"], ConfigSamples.Parse(ConfigSamples.Minimal, "model.init_from=x.pt", "model.init_modules=[encoder]").Model.InitModules!);
    }

    [Theory]
    [InlineData("model.init_modules=[embed]", "--set: model.init_modules: [embed] — expected null unless model.init_from is set")]
    [InlineData("model.init_from_format=ours", "--set: model.init_from_format: 'ours' — expected auto unless model.init_from is set")]
    [InlineData("model.init_from=x.pt|model.init_modules=[]", "--set: model.init_modules: [] — expected at least one module, or null for all")]
    [InlineData("model.init_from=x.pt|model.init_modules=[encoder.*]", "--set: model.init_modules: 'encoder.*' — expected a module name such as embed, encoder or encoder.layers.0 (dot-separated, no wildcards)")]
    [InlineData("model.init_from=x.pt|model.init_modules=[[a]]", "--set: model.init_modules[0]: [a] — expected a string")]
    [InlineData("model.init_from=x.pt|model.init_modules=encoder", "--set: model.init_modules: 'encoder' — expected a list of strings or null")]
    [InlineData("model.init_from=x.pt|model.init_from_format=torch", "--set: model.init_from_format: 'torch' — expected one of auto|ours|pytorch")]
    public void Init_keys_are_checked_at_load(string overrides, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(ConfigSamples.Minimal, overrides.Split('|')));

    // ---- init_from ----

    [Fact]
    public void Init_from_a_checkpoint_file_copies_every_tensor()
    {
        using var source = Model.Build(Classifier(), seed: 1);
        var path = Save(source, "all.safetensors");
        using var model = Model.Build(Classifier() with { InitFrom = path }, seed: 2);
        var line = PretrainedWeights.Apply(Classifier() with { InitFrom = path }, model);
        Assert.Equal($"init_from {path}: {source.state_dict().Count} tensors copied ({source.ParameterCount():N0} parameters); 0 tensors (0 parameters) keep their initialisation", line!.ToString());
        foreach (var (name, tensor) in source.state_dict()) AssertSame(tensor, model.state_dict()[name], name);
    }

    [Fact]
    public void Init_modules_copies_exactly_the_named_modules_and_leaves_the_rest_as_initialised()
    {
        using var source = Model.Build(Classifier(classes: 5), seed: 1);   // another head: only embed and encoder fit
        var path = Save(source, "pretrained.pt", WeightsFormat.Pt);
        var config = Classifier() with { InitFrom = path, InitModules = ["embed", "encoder.layers.1"] };
        using var model = Model.Build(config, seed: 2);
        var fresh = Snapshot(model);

        var line = PretrainedWeights.Apply(config, model);

        var copied = model.state_dict().Keys.Where(k => k.StartsWith("embed.", StringComparison.Ordinal) || k.StartsWith("encoder.layers.1.", StringComparison.Ordinal)).ToList();
        Assert.StartsWith($"init_from {path}: {copied.Count} tensors of embed, encoder.layers.1 copied (", line!.ToString());
        foreach (var (name, tensor) in model.state_dict())
        {
            var expected = copied.Contains(name) ? source.state_dict()[name] : fresh[name];
            AssertSame(expected, tensor, name);
            if (copied.Contains(name) && tensor.dim() > 1) Assert.False(source.state_dict()[name].eq(fresh[name]).all().item<bool>(), $"{name}: the two seeds drew the same weights");
        }
    }

    [Fact]
    public void A_missing_or_misshapen_tensor_is_one_line_naming_them_and_changes_nothing()
    {
        using var source = Model.Build(Classifier(layers: 1, classes: 5), seed: 1);
        var path = Save(source, "small.safetensors");
        var config = Classifier() with { InitFrom = path };
        using var model = Model.Build(config, seed: 2);
        var before = Snapshot(model);

        var e = Assert.Throws<CheckpointException>(() => PretrainedWeights.Apply(config, model));

        Assert.Equal(ErrorKind.Checkpoint, e.Kind);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith($"{path}: model.init_from does not fit this model: 12 tensors missing, e.g. encoder.layers.1.self_attn.in_proj_weight, ", e.Message);
        Assert.EndsWith("; 2 tensor(s) of another shape: classifier.weight is [5, 16] in the file, [3, 16] in the model, classifier.bias is [5] in the file, [3] in the model", e.Message);
        Assert.Contains("missing: encoder.layers.1.norm2.bias", e.Details);
        foreach (var (name, tensor) in model.state_dict()) AssertSame(before[name], tensor, name);
    }

    [Fact]
    public void Unexpected_tensors_inside_the_selected_modules_are_refused_and_those_outside_ignored()
    {
        using var source = Model.Build(Classifier(layers: 3), seed: 1);
        var path = Save(source, "deep.safetensors");
        using var model = Model.Build(Classifier(), seed: 2);
        var e = Assert.Throws<CheckpointException>(() => PretrainedWeights.Apply(Classifier() with { InitFrom = path, InitModules = ["encoder"] }, model));
        Assert.Equal($"{path}: model.init_from does not fit this model: 12 tensors unexpected, e.g. encoder.layers.2.feed_forward.linear1.bias, "
            + "encoder.layers.2.feed_forward.linear1.weight, encoder.layers.2.feed_forward.linear2.bias", e.Message);
        Assert.Contains("init_from", PretrainedWeights.Apply(Classifier() with { InitFrom = path, InitModules = ["embed", "classifier"] }, model)!.ToString());
    }

    [Fact]
    public void An_init_module_the_model_lacks_is_a_config_error_listing_its_modules()
    {
        using var model = Model.Build(Classifier(), seed: 2);
        var e = Assert.Throws<ConfigException>(() => PretrainedWeights.Apply(Classifier() with { InitFrom = "x.pt", InitModules = ["embeddings"] }, model));
        Assert.Equal("model.init_modules: 'embeddings' — expected a module of this model: embed, encoder, classifier (or one inside them, such as encoder.layers.0)", e.Message);
    }

    [Fact]
    public void Init_from_a_run_directory_reads_its_best_checkpoint()
    {
        using var source = Model.Build(Classifier(), seed: 1);
        var step = Path.Combine(dir, "run", "checkpoints", "step-7");
        Directory.CreateDirectory(step);
        WeightsFile.Write(Path.Combine(step, Checkpoint.ModelFile), source.state_dict(), WeightsFormat.Safetensors, overwrite: false);
        File.WriteAllText(Path.Combine(step, Checkpoint.OptimizerFile), "");
        File.WriteAllText(Path.Combine(step, Checkpoint.TrainerFile), "{}");
        new CheckpointStore(Path.Combine(dir, "run", "checkpoints")).MarkBest(7);
        using var model = Model.Build(Classifier(), seed: 2);
        PretrainedWeights.Apply(Classifier() with { InitFrom = Path.Combine(dir, "run") }, model);
        foreach (var (name, tensor) in source.state_dict()) AssertSame(tensor, model.state_dict()[name], name);
    }

    [Fact]
    public void Unreadable_weights_are_checkpoint_errors_naming_the_file()
    {
        var text = Path.Combine(dir, "notes.pt");
        File.WriteAllText(text, "not a zip");
        Assert.StartsWith($"{text}: not a PyTorch state dict saved by torch.save (", Assert.Throws<CheckpointException>(() => WeightsFile.Read(text)).Message);
        var other = Path.Combine(dir, "weights.npz");
        File.WriteAllText(other, "");
        Assert.StartsWith($"{other}: unknown weights format", Assert.Throws<CheckpointException>(() => WeightsFile.Read(other)).Message);
        Assert.Equal($"{dir}/absent.pt: no such file or directory", Assert.Throws<CheckpointException>(() => WeightsFile.Read(Path.Combine(dir, "absent.pt"))).Message);
        Assert.StartsWith($"{dir}: neither a checkpoint", Assert.Throws<CheckpointException>(() => WeightsFile.Read(dir)).Message);
    }

    // ---- files and names ----

    [Theory]
    [InlineData(WeightsFormat.Pt)]
    [InlineData(WeightsFormat.Safetensors)]
    public void Written_weights_read_back_equal_and_are_never_overwritten_without_force(WeightsFormat format)
    {
        using var model = Model.Build(Translator(), seed: 3);
        var path = Save(model, format == WeightsFormat.Pt ? "w.pt" : "w.safetensors", format);
        using (var file = WeightsFile.Read(path))
        {
            Assert.Equal(model.state_dict().Keys.Order(), file.Tensors.Keys.Order());
            foreach (var (name, tensor) in model.state_dict()) AssertSame(tensor, file.Tensors[name], name);
        }
        var e = Assert.Throws<CheckpointException>(() => WeightsFile.Write(path, model.state_dict(), format, overwrite: false));
        Assert.Equal($"{path}: already exists (pass --force to replace it)", e.Message);
        WeightsFile.Write(path, model.state_dict(), format, overwrite: true);
        Assert.Equal([Path.GetFileName(path)], Directory.EnumerateFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void The_name_mapping_agrees_with_the_parity_tests_table_both_ways()
    {
        var kinds = new (string Kind, ModelConfig Config)[]
        {
            ("EncoderDecoder", Translator()),
            ("DecoderOnly", new DecoderOnlyConfig { VocabSize = 9, Layers = 2, DModel = 16, Heads = 2, DFeedForward = 24, TieOutput = false }),
            ("EncoderClassifier", Classifier() with { FinalNorm = true }),
        };
        foreach (var (kind, config) in kinds)
        {
            using var model = Model.Build(config, seed: 0);
            foreach (var ours in model.state_dict().Keys)
            {
                var torch = PyTorchNames.ToPyTorch(config, ours);
                Assert.NotNull(torch);
                Assert.Equal(ours, ParityNames.ToOurs(kind, torch));
                Assert.Equal(ours, PyTorchNames.ToOurs(config, torch));
            }
            Assert.True(PyTorchNames.LookLikePyTorch(model.state_dict().Keys.Select(k => PyTorchNames.ToPyTorch(config, k)!)));
            Assert.False(PyTorchNames.LookLikePyTorch(model.state_dict().Keys));
        }
        Assert.Null(PyTorchNames.ToOurs(Translator(), "generator.weight"));
        Assert.Null(PyTorchNames.ToPyTorch(Translator() with { Activation = FeedForwardActivation.SwiGlu }, "encoder.layers.0.feed_forward.linear3.weight"));
        Assert.Contains("swiglu", PyTorchNames.Incompatibility(Translator() with { Activation = FeedForwardActivation.SwiGlu }));
        Assert.Contains("final_norm", PyTorchNames.Incompatibility(Translator() with { FinalNorm = null }));
        Assert.Null(PyTorchNames.Incompatibility(Translator()));
    }
}
