// The experiment: one YAML file bound to typed sections (see docs/config.md), validated once by ConfigLoader.
using System.Reflection;
using System.Text.RegularExpressions;
using Transformer.Models;

namespace Transformer.Configuration;

/// <summary>A training experiment: what to build (model), from what (data, tokenizer), how to train it and how to
/// save it. Load one with <see cref="ConfigLoader"/>; write the resolved one with <see cref="ConfigWriter"/>.</summary>
public sealed partial record ExperimentConfig
{
    /// <summary>The experiment's name; it names the run directory, so letters, digits, '.', '_' and '-'. Required.</summary>
    public required string Name { get; init; }
    /// <summary>Seed of every random choice: initialisation, dropout, data order. Default 1.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Where the tensors live: cpu, cuda (the current GPU) or cuda:N. Default cpu.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>The model; model.kind chooses its record. Required.</summary>
    [ConfigVariant("encoder_decoder", typeof(EncoderDecoderConfig))]
    [ConfigVariant("decoder_only", typeof(DecoderOnlyConfig))]
    [ConfigVariant("encoder_classifier", typeof(EncoderClassifierConfig))]
    [ConfigVariant("encoder_mlm", typeof(EncoderMlmConfig))]
    public required ModelConfig Model { get; init; }
    /// <summary>Optimizer, schedule, limits and the training loop's options.</summary>
    public TrainingConfig Training { get; init; } = new();
    /// <summary>How often to save and what to keep.</summary>
    public CheckpointConfig Checkpoint { get; init; } = new();
    /// <summary>The data splits.</summary>
    public DataConfig Data { get; init; } = new();
    /// <summary>The tokenizer.</summary>
    public TokenizerConfig Tokenizer { get; init; } = new();
    /// <summary>What `transformer evaluate` reports besides the model's metrics (baselines).</summary>
    public EvaluationConfig Evaluation { get; init; } = new();

    /// <summary>The data kind each model kind trains on.</summary>
    public DataKind ExpectedDataKind => Model switch
    {
        EncoderDecoderConfig => DataKind.Pairs,
        DecoderOnlyConfig or EncoderMlmConfig => DataKind.Text,
        _ => DataKind.Labeled,
    };

    /// <summary>Checks every section; throws a ConfigException naming the first invalid key.</summary>
    public void Validate()
    {
        if (!NamePattern().IsMatch(Name)) throw new ConfigException("name", Name, "letters, digits, '.', '_' or '-' (it names the run directory)");
        if (!DevicePattern().IsMatch(Device)) throw new ConfigException("device", Device, "cpu, cuda or cuda:N");
        Model.Validate();
        Training.Validate();
        Checkpoint.Validate();
        Data.Validate();
        Tokenizer.Validate();
        Evaluation.Validate();
        if (Data.Kind != ExpectedDataKind)
            throw new ConfigException("data.kind", ConfigNaming.EnumValue(Data.Kind),
                $"{ConfigNaming.EnumValue(ExpectedDataKind)} for model.kind {ModelKind}");
        // Only a WordPiece vocabulary brings a mask token of its own ([MASK]); the others must name one.
        if (Model is EncoderMlmConfig && Tokenizer.SpecialTokens.Mask is null && Tokenizer.Kind != TokenizerKind.WordPiece)
            throw new ConfigException("tokenizer.special_tokens.mask", null, $"a mask token (such as <mask>) for model.kind {ModelKind}");
        if (Training.EvalGenerate is not null && Model is not Models.EncoderDecoderConfig)
            throw new ConfigException("training.eval_generate", new ShownValue("set"), $"null for model.kind {ModelKind} (only encoder_decoder models decode their validation sources)");
        if (Evaluation.Baselines is { Count: > 0 } && (Model is not Models.EncoderDecoderConfig || Data.Builtin is not null))
            throw new ConfigException("evaluation.baselines", new ShownValue("[" + string.Join(", ", Evaluation.Baselines.Select(b => ConfigNaming.EnumValue(b))) + "]"),
                Data.Builtin is not null ? "null for a built-in experiment (baselines read the prepared training split)"
                    : $"null for model.kind {ModelKind} (baselines translate sources: encoder_decoder on pairs data)");
        if (Training.Optimizer.PretrainedLr is { } pretrainedLr && Model.InitFrom is null)
            throw new ConfigException("training.optimizer.pretrained_lr", pretrainedLr, "null unless model.init_from is set (it is the rate of the parameters init_from copies)");
        if (Training.EvalGenerate is not null && Data.Builtin is not null)
            throw new ConfigException("training.eval_generate", new ShownValue("set"), "null for a built-in experiment (it needs a tokenizer to score the outputs)");
    }

    private string ModelKind => typeof(ExperimentConfig).GetProperty(nameof(Model))!
        .GetCustomAttributes<ConfigVariantAttribute>().First(v => v.Type == Model.GetType()).Kind;

    [GeneratedRegex(@"^(?!\.{1,2}$)[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(cpu|cuda(:[0-9]+)?)$")]
    private static partial Regex DevicePattern();
}
