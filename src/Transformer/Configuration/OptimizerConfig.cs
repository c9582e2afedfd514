// training.optimizer: which optimizer and its hyper-parameters.
namespace Transformer.Configuration;

/// <summary>The optimizer. Defaults suit a Transformer: AdamW, lr 5e-4, β = (0.9, 0.98).</summary>
public sealed record OptimizerConfig
{
    /// <summary>adamw, adam or sgd. Default adamw.</summary>
    public OptimizerKind Name { get; init; } = OptimizerKind.AdamW;
    /// <summary>Peak learning rate; the schedule scales it step by step. Default 5e-4.</summary>
    public double Lr { get; init; } = 5e-4;
    /// <summary>Adam's (β₁, β₂), written [0.9, 0.98]. Default [0.9, 0.98] (the paper; PyTorch's is 0.999).</summary>
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.98);
    /// <summary>Adam's ε added to the denominator. Default 1e-8.</summary>
    public double Eps { get; init; } = 1e-8;
    /// <summary>Weight decay: decoupled for adamw, L2 in the gradient for adam and sgd. Default 0.</summary>
    public double WeightDecay { get; init; }
    /// <summary>SGD momentum (sgd only). Default 0.</summary>
    public double Momentum { get; init; }
    /// <summary>Nesterov momentum (sgd only, needs momentum > 0). Default false.</summary>
    public bool Nesterov { get; init; }
    /// <summary>Peak learning rate of the parameters model.init_from copied (a second parameter group); the schedule scales
    /// it as it scales lr. Null trains them at lr. Default null.</summary>
    public double? PretrainedLr { get; init; }

    public void Validate()
    {
        ConfigCheck.Positive("training.optimizer.lr", Lr);
        if (!(Betas.Beta1 is >= 0 and < 1 && Betas.Beta2 is >= 0 and < 1))
            throw new ConfigException("training.optimizer.betas", new ShownValue($"[{Show(Betas.Beta1)}, {Show(Betas.Beta2)}]"), "two numbers in [0, 1)");
        ConfigCheck.Positive("training.optimizer.eps", Eps);
        if (PretrainedLr is { } pretrained && !(pretrained > 0 && double.IsFinite(pretrained)))
            throw new ConfigException("training.optimizer.pretrained_lr", pretrained, "a positive number, or null (training.freeze keeps parameters fixed)");
        ConfigCheck.NonNegative("training.optimizer.weight_decay", WeightDecay);
        ConfigCheck.Fraction("training.optimizer.momentum", Momentum);
        var name = ConfigNaming.EnumValue(Name);
        if (Name != OptimizerKind.Sgd && Momentum != 0)
            throw new ConfigException("training.optimizer.momentum", Momentum, $"0 for {name} (momentum is sgd's; Adam's are betas)");
        if (Nesterov && (Name != OptimizerKind.Sgd || Momentum == 0))
            throw new ConfigException("training.optimizer.nesterov", Nesterov, $"false unless name is sgd with momentum > 0 (name {name}, momentum {Momentum})");
    }

    private static string Show(double value) => ConfigScalar.Format(value).Text;
}
