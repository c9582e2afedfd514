// Builds what a config describes: the model and its data source. The built-in sequence-reversal
// experiment needs no files; file-based data is read through the prepared shards.
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Training;
using static Transformer.Torch.torch;

namespace Transformer.Cli;

internal static class Experiment
{
    public static nn.Module BuildModel(ExperimentConfig config) => config.Model switch
    {
        EncoderDecoderConfig c => EncoderDecoder.Build(c, config.Seed),
        DecoderOnlyConfig c => DecoderOnly.Build(c, config.Seed),
        EncoderClassifierConfig c => EncoderClassifier.Build(c, config.Seed),
        _ => throw new CliException($"unsupported model kind {config.Model.GetType().Name}"),
    };

    public static IBatchSource Data(ExperimentConfig config) => config.Data.Builtin switch
    {
        "reverse" => new SequenceReversal(config.Seed, config.Training.BatchTokens),
        _ => throw new CliException("this version trains the built-in experiment (data.builtin: reverse) only; "
            + "training from data files arrives with the data pipeline (transformer prepare)"),
    };
}
