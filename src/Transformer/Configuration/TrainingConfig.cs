// training: the optimizer, the schedule, when to stop, batch size and what to do on the way.
namespace Transformer.Configuration;

/// <summary>How to train. The run stops at the first of max_steps, max_epochs and max_time that is set.</summary>
public sealed record TrainingConfig
{
    /// <summary>The optimizer and its hyper-parameters.</summary>
    public OptimizerConfig Optimizer { get; init; } = new();
    /// <summary>The learning-rate schedule.</summary>
    public ScheduleConfig Schedule { get; init; } = new();
    /// <summary>Optimizer steps to train for, or null for no step limit. Default 100000 (the paper's base model).</summary>
    public long? MaxSteps { get; init; } = 100_000;
    /// <summary>Passes over the training data, or null for no epoch limit. Default null.</summary>
    public int? MaxEpochs { get; init; }
    /// <summary>Wall-clock limit such as 2h, 30m, 90s or 1h30m, or null for none. Default null.</summary>
    public TimeSpan? MaxTime { get; init; }
    /// <summary>Token budget of one batch, padding included (for pairs, the longer side). Default 4096.</summary>
    public int BatchTokens { get; init; } = 4096;
    /// <summary>Batches whose gradients are summed into one optimizer step. Default 1.</summary>
    public int GradAccumulation { get; init; } = 1;
    /// <summary>Data-parallel training (mpirun): gradients are summed over the ranks in flat buffers of this many
    /// megabytes, one all-reduce per buffer. Default 25.</summary>
    public double AllreduceBucketMb { get; init; } = 25;
    /// <summary>Clip the global gradient norm to this, or null for no clipping. Default null.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Label smoothing of the cross-entropy loss, in [0, 1). Default 0 (the paper uses 0.1).</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Evaluate on the validation split every this many steps. Default 1000.</summary>
    public int EvalEvery { get; init; } = 1000;
    /// <summary>Log training metrics every this many steps. Default 100.</summary>
    public int LogEvery { get; init; } = 100;
    /// <summary>Decode the validation sources at each evaluation and log generation metrics (valid_wer, valid_bleu, …),
    /// or null for teacher-forced metrics only. Default null.</summary>
    public GenerationEvalConfig? EvalGenerate { get; init; }
    /// <summary>Early stopping on a validation metric, or null for none. Default null.</summary>
    public EarlyStoppingConfig? EarlyStopping { get; init; }
    /// <summary>stop or skip when a step's loss or gradient norm is NaN or infinite. Default stop.</summary>
    public NonFiniteAction OnNonfinite { get; init; } = NonFiniteAction.Stop;
    /// <summary>Also write the metrics as TensorBoard event files under RUN/tensorboard (scalars, and the config as
    /// text). Default false.</summary>
    public bool Tensorboard { get; init; }
    /// <summary>fp32, or bf16: mixed precision, the matmuls (linear layers, attention) in bfloat16 with float32 master
    /// weights, gradients, optimizer state, softmax, normalisation and loss, as torch.autocast. Evaluation and
    /// generation of the run use it too. Default fp32.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;
    /// <summary>Modules whose parameters stay as they are, as state_dict prefixes ([embed, encoder.layers.0]): they get no
    /// gradient and are left out of the optimizer (so of clipping, weight decay and the all-reduce). Null trains every
    /// parameter. Default null.</summary>
    public IReadOnlyList<string>? Freeze { get; init; }

    public void Validate()
    {
        Optimizer.Validate();
        Schedule.Validate();
        if (MaxSteps is { } steps) ConfigCheck.Positive("training.max_steps", steps);
        if (MaxEpochs is { } epochs) ConfigCheck.Positive("training.max_epochs", epochs);
        if (MaxTime is { } time && (time <= TimeSpan.Zero || time.Ticks % TimeSpan.TicksPerSecond != 0))
            throw new ConfigException("training.max_time", new ShownValue(time.ToString()), "a positive whole number of seconds");
        if (MaxSteps is null && MaxEpochs is null && MaxTime is null)
            throw new ConfigException("training.max_steps", new ShownValue("null"), "a limit: at least one of max_steps, max_epochs and max_time");
        if (Schedule.Decays && MaxSteps is null)
            throw new ConfigException("training.max_steps", new ShownValue("null"), $"a step count for the {ConfigNaming.EnumValue(Schedule.Name)} schedule (it decays to min_lr at max_steps)");
        if (Schedule.Decays && Schedule.WarmupSteps >= MaxSteps)
            throw new ConfigException("training.schedule.warmup_steps", Schedule.WarmupSteps, $"fewer steps than training.max_steps ({MaxSteps})");
        if (Schedule.MinLr >= Optimizer.Lr)
            throw new ConfigException("training.schedule.min_lr", Schedule.MinLr, $"less than training.optimizer.lr ({Optimizer.Lr})");
        ConfigCheck.Positive("training.batch_tokens", BatchTokens);
        ConfigCheck.Positive("training.grad_accumulation", GradAccumulation);
        ConfigCheck.Positive("training.allreduce_bucket_mb", AllreduceBucketMb);
        if (ClipGradNorm is { } clip) ConfigCheck.Positive("training.clip_grad_norm", clip);
        ConfigCheck.Fraction("training.label_smoothing", LabelSmoothing);
        ConfigCheck.Positive("training.eval_every", EvalEvery);
        ConfigCheck.Positive("training.log_every", LogEvery);
        EarlyStopping?.Validate();
        EvalGenerate?.Validate();
        if (Freeze is { Count: 0 }) throw new ConfigException("training.freeze", new ShownValue("[]"), "at least one module, or null to train every parameter");
        foreach (var prefix in Freeze ?? [])
            if (!Models.ModuleSelection.IsPrefix(prefix))
                throw new ConfigException("training.freeze", prefix, "a module name such as embed, encoder or encoder.layers.0 (dot-separated, no wildcards)");
    }
}
