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
    /// shards (prepared first when missing or stale). Writes nothing outside data.prepared_dir.</summary>
    public static IBatchSource Data(ExperimentConfig config, TextWriter? progress = null)
    {
        if (config.Data.Builtin == "reverse") return new SequenceReversal(config.Seed, config.Training.BatchTokens);
        var report = progress ?? Console.Out;
        return ExperimentData.Open(config, line => report.WriteLine(line));
    }

    /// <summary>What a run keeps of its data, beside its config: the tokenizer (tokenizer.json), the class names
    /// (labels.txt) and what the data was made from (data.json). Nothing for built-in data.</summary>
    public static void RecordData(IBatchSource data, string runDirectory)
    {
        if (data is not PreparedBatchSource prepared) return;
        prepared.Tokenizer.Save(runDirectory);
        if (prepared.Labels is { } labels) File.WriteAllLines(Path.Combine(runDirectory, "labels.txt"), labels);
        File.WriteAllText(Path.Combine(runDirectory, DataRecord.FileName), DataRecord.Of(prepared.Meta).ToJson());
    }

    /// <summary>Longest output decoded when scoring generations.</summary>
    public const int MaxGenerationLength = 256;

    /// <summary>Word and phoneme error rates are the measure of a pronunciation task (CMUdict).</summary>
    public static bool ScoresPronunciations(ExperimentConfig config) => config.Data.Corpus == "cmudict";

    /// <summary>training.eval_generate as the trainer's extra validation: decode the validation sources and score them.</summary>
    public static Func<nn.Module, IReadOnlyDictionary<string, double>>? GenerationMetrics(ExperimentConfig config, IBatchSource data)
    {
        if (config.Training.EvalGenerate is not { } generate) return null;
        var tokenizer = (data as PreparedBatchSource)?.Tokenizer
            ?? throw new ConfigException("training.eval_generate", "set", "prepared data with a tokenizer (not data.builtin)");
        return model => GenerationEvaluator.EncoderDecoder((EncoderDecoder)model, tokenizer, data.Validation().Cast<Seq2SeqBatch>(), generate.Beam,
            MaxGenerationLength, ScoresPronunciations(config), generate.MaxExamples, noRepeatNgramSize: generate.NoRepeatNgramSize);
    }
}
