// Experiment set-up in one place: what a config describes — the device, the model on it, and the data
// (with its tokenizer). The built-in sequence-reversal experiment needs no files; file-based data is
// read through the prepared shards. The CLI, the benchmarks and the tests all start here.
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class Experiment
{
    /// <summary>The model on the config's device, built with the config's seed.</summary>
    public static nn.Module BuildModel(ExperimentConfig config) => Model.Build(config.Model, config.Seed, DeviceOf(config));

    public static Device DeviceOf(ExperimentConfig config)
    {
        Device device;
        try
        {
            device = torch.device(config.Device);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ConfigException("device", config.Device, "cpu, cuda or cuda:N");
        }
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new ConfigException("device", config.Device, "cpu: CUDA is not available in this build (build with -p:TorchBackend=cuda on a machine with an NVIDIA driver)");
        return device;
    }

    /// <summary>The batches of an experiment: generated in memory for a built-in one, else read from prepared
    /// shards (prepared first when missing or stale); the tokenizer is copied into the run directory.</summary>
    public static IBatchSource Data(ExperimentConfig config, string? runDirectory = null, TextWriter? progress = null)
    {
        if (config.Data.Builtin == "reverse") return new SequenceReversal(config.Seed, config.Training.BatchTokens);
        var report = progress ?? Console.Out;
        var (batches, tokenizer) = ExperimentData.Open(config, line => report.WriteLine(line));
        if (runDirectory is null) return batches;
        tokenizer.Save(Path.Combine(runDirectory, ExperimentData.TokenizerFile));
        if (batches is PreparedBatchSource { Labels: { } labels }) File.WriteAllLines(Path.Combine(runDirectory, "labels.txt"), labels);
        return batches;
    }

    /// <summary>Longest output decoded when scoring generations.</summary>
    public const int MaxGenerationLength = 256;

    /// <summary>Word and phoneme error rates are the measure of a pronunciation task (CMUdict).</summary>
    public static bool ScoresPronunciations(ExperimentConfig config) => config.Data.Corpus == "cmudict";

    /// <summary>training.eval_generate as the trainer's extra validation: decode the validation sources and score them.</summary>
    public static Func<nn.Module, IReadOnlyDictionary<string, double>>? GenerationMetrics(ExperimentConfig config, IBatchSource data, string runDirectory)
    {
        if (config.Training.EvalGenerate is not { } generate) return null;
        var tokenizer = Tokenizer.Load(Path.Combine(runDirectory, ExperimentData.TokenizerFile));
        return model => GenerationEvaluator.EncoderDecoder((EncoderDecoder)model, tokenizer, data.Validation().Cast<Seq2SeqBatch>(), generate.Beam,
            MaxGenerationLength, ScoresPronunciations(config), generate.MaxExamples);
    }
}
