// --set key=value overrides change the YAML tree before binding, so they are checked like the file itself and their
// errors are located at "--set".
using Transformer.Configuration;

namespace Transformer.Tests;

public class ConfigOverrideTests
{
    [Fact]
    public void Overrides_replace_values_given_in_the_file()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal, "model.vocab_size=321", "model.positional=rotary", "seed=7");
        var model = Assert.IsType<DecoderOnlyConfig>(config.Model);
        Assert.Equal(321, model.VocabSize);
        Assert.Equal(PositionalEncodingKind.Rotary, model.Positional);
        Assert.Equal(7, config.Seed);
    }

    [Fact]
    public void Overrides_create_missing_keys_and_sections()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal,
            "training.optimizer.lr=3e-4", "training.optimizer.betas=[0.8, 0.9]", "training.early_stopping.patience=3", "training.max_time=1h30m");
        Assert.Equal(3e-4, config.Training.Optimizer.Lr);
        Assert.Equal((0.8, 0.9), config.Training.Optimizer.Betas);
        Assert.Equal(new EarlyStoppingConfig { Patience = 3 }, config.Training.EarlyStopping);
        Assert.Equal(TimeSpan.FromMinutes(90), config.Training.MaxTime);
    }

    [Fact]
    public void The_last_override_of_a_key_wins_and_null_clears_a_nullable_key()
    {
        var config = ConfigSamples.Parse(ConfigSamples.Minimal + "\ntraining:\n  clip_grad_norm: 1.0\n",
            "seed=2", "seed=3", "training.clip_grad_norm=null");
        Assert.Equal(3, config.Seed);
        Assert.Null(config.Training.ClipGradNorm);
    }

    [Fact]
    public void Overriding_the_model_kind_binds_the_other_record()
    {
        var yaml = "name: x\nmodel:\n  kind: decoder_only\n  vocab_size: 50\n  layers: 2\ndata:\n  kind: labeled\n";
        var config = ConfigSamples.Parse(yaml, "model.kind=encoder_classifier", "model.num_classes=3");
        Assert.Equal(new EncoderClassifierConfig { VocabSize = 50, Layers = 2, NumClasses = 3 }, config.Model);
    }

    public static TheoryData<string[], string> Errors => new()
    {
        { ["model.d_modle=3"], "--set: model.d_modle: unknown key — expected a key of model; did you mean 'd_model'?" },
        { ["trainin.max_steps=3"], "--set: trainin: unknown key — expected a top-level key; did you mean 'training'?" },
        { ["model.heads=eight"], "--set: model.heads: 'eight' — expected an integer" },
        { ["model.heads=7"], "--set: model.heads: 7 — expected a divisor of model.d_model (512)" },
        { ["model.activation=swish"], "--set: model.activation: 'swish' — expected one of relu|gelu|swiglu" },
        { ["training.optimizer.betas=[0.9]"], "--set: training.optimizer.betas: [0.9] — expected a list of 2 numbers" },
        { ["training.optimizer.betas=[0.9"], "--set: training.optimizer.betas: '[0.9' — expected a YAML value (is a bracket or quote left open?)" },
        { ["name.x=1"], "--set: name: 'tiny' — expected a mapping (to set name.x)" },
        { ["seed.x=1"], "--set: seed: {x: 1} — expected an integer" },
        { ["lr"], "--set: 'lr' — expected key=value with a dotted key (e.g. training.optimizer.lr=3e-4)" },
        { ["training..lr=1"], "--set: 'training..lr=1' — expected key=value with a dotted key (e.g. training.optimizer.lr=3e-4)" },
        { ["model.kind=gpt"], "--set: model.kind: 'gpt' — expected one of encoder_decoder|decoder_only|encoder_classifier|encoder_mlm" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Override_errors_are_located_at_set(string[] overrides, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(ConfigSamples.Minimal, overrides));

    [Fact]
    public void A_key_the_file_gives_keeps_its_line_when_an_override_does_not_touch_it()
    {
        var yaml = "name: x\nmodel:\n  kind: decoder_only\n  vocab_size: 100\n  d_model: 30\n  heads: 4\ndata:\n  kind: text\n";
        Assert.Equal("configs/x.yaml:6: model.heads: 4 — expected a divisor of model.d_model (30)", ConfigSamples.ErrorOf(yaml, "seed=5"));
        Assert.Equal("--set: model.heads: 4 — expected a divisor of model.d_model (34)", ConfigSamples.ErrorOf(yaml, "model.d_model=34", "model.heads=4"));
    }
}
