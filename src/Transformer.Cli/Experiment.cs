// Builds what a config describes: the model and its data source. The built-in sequence-reversal
// experiment needs no files; file-based data is read through the prepared shards.
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Text;
using Transformer.Training;
using Transformer.Torch;
using static Transformer.Torch.torch;

namespace Transformer.Cli;

internal static class Experiment
{
    /// <summary>The model on the config's device (built on the CPU with the seed, so weights do not depend on the device).</summary>
    public static nn.Module BuildModel(ExperimentConfig config)
    {
        var device = DeviceOf(config);
        nn.Module model = config.Model switch
        {
            EncoderDecoderConfig c => EncoderDecoder.Build(c, config.Seed),
            DecoderOnlyConfig c => DecoderOnly.Build(c, config.Seed),
            EncoderClassifierConfig c => EncoderClassifier.Build(c, config.Seed),
            _ => throw new CliException($"unsupported model kind {config.Model.GetType().Name}"),
        };
        if (device.type != DeviceType.CPU) model.to(device);
        return model;
    }

    public static Device DeviceOf(ExperimentConfig config)
    {
        var device = Device.Parse(config.Device);
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new CliException($"device: {config.Device} — CUDA is not available in this build of libtorch (build against a CUDA libtorch with LIBTORCH_DIR, or use device: cpu)");
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
