// Every kind of configuration mistake is one ConfigException whose message names file:line, the key, the value and
// what was expected.
namespace Transformer.Tests;

public class ConfigErrorTests
{
    private const string Pairs = """
        name: x
        model:
          kind: encoder_decoder
          source_vocab_size: 10
          target_vocab_size: 10

        """;

    public static TheoryData<string, string> BindingErrors => new()
    {
        { Pairs + "  d_modle: 512\n", "configs/x.yaml:6: model.d_modle: unknown key — expected a key of model; did you mean 'd_model'?" },
        { Pairs + "trainig:\n  max_steps: 5\n", "configs/x.yaml:6: trainig: unknown key — expected a top-level key; did you mean 'training'?" },
        { Pairs + "zzzzzzzz: 1\n", "configs/x.yaml:6: zzzzzzzz: unknown key — expected a top-level key: name, seed, device, model, training, checkpoint, data, tokenizer, evaluation" },
        { Pairs + "training:\n  optimizer:\n    learning_rate: 1\n", "configs/x.yaml:8: training.optimizer.learning_rate: unknown key — expected a key of training.optimizer: name, lr, betas, eps, weight_decay, momentum, nesterov, pretrained_lr" },
        { Pairs + "  heads: eight\n", "configs/x.yaml:6: model.heads: 'eight' — expected an integer" },
        { Pairs + "  heads: 8.5\n", "configs/x.yaml:6: model.heads: '8.5' — expected an integer" },
        { Pairs + "  dropout: high\n", "configs/x.yaml:6: model.dropout: 'high' — expected a number" },
        { Pairs + "  share_embeddings: yes\n", "configs/x.yaml:6: model.share_embeddings: 'yes' — expected true or false" },
        { Pairs + "  activation: swish\n", "configs/x.yaml:6: model.activation: 'swish' — expected one of relu|gelu|swiglu" },
        { Pairs + "  positional: alibi\n", "configs/x.yaml:6: model.positional: 'alibi' — expected one of sinusoidal|learned|rotary|none" },
        { Pairs + "  final_norm: maybe\n", "configs/x.yaml:6: model.final_norm: 'maybe' — expected true, false or null" },
        { Pairs + "  heads: null\n", "configs/x.yaml:6: model.heads: null — expected an integer" },
        { Pairs + "  heads: [8]\n", "configs/x.yaml:6: model.heads: [8] — expected an integer" },
        { Pairs + "training:\n  optimizer:\n    betas: [0.9]\n", "configs/x.yaml:8: training.optimizer.betas: [0.9] — expected a list of 2 numbers" },
        { Pairs + "training:\n  optimizer:\n    betas: [0.9, high]\n", "configs/x.yaml:8: training.optimizer.betas: [0.9, high] — expected a list of 2 numbers" },
        { Pairs + "training:\n  optimizer:\n    betas: 0.9\n", "configs/x.yaml:8: training.optimizer.betas: '0.9' — expected a list of 2 numbers" },
        { Pairs + "training: 5\n", "configs/x.yaml:6: training: '5' — expected a mapping" },
        { Pairs + "training:\n", "configs/x.yaml:6: training: null — expected a mapping" },
        { Pairs + "training:\n  early_stopping: 3\n", "configs/x.yaml:7: training.early_stopping: '3' — expected a mapping or null" },
        { Pairs + "training:\n  max_time: 2 hours\n", "configs/x.yaml:7: training.max_time: '2 hours' — expected a duration such as 90s, 30m, 2h or 1h30m or null" },
        { Pairs + "training:\n  max_time: 30m2h\n", "configs/x.yaml:7: training.max_time: '30m2h' — expected a duration such as 90s, 30m, 2h or 1h30m or null" },
        { Pairs + "  heads: 4\n  heads: 8\n", "configs/x.yaml:7: model.heads: duplicate key — expected each key once (first at line 6)" },
        { Pairs + "name: y\n", "configs/x.yaml:6: name: duplicate key — expected each key once (first at line 1)" },
        { Pairs + "  ? [a, b]\n  : 1\n", "configs/x.yaml:6: model.?: [a, b] — expected a plain key name" },
        { "name: x\nmodel:\n  source_vocab_size: 10\n", "configs/x.yaml:2: model.kind: (missing) — expected one of encoder_decoder|decoder_only|encoder_classifier|encoder_mlm" },
        { "name: x\nmodel:\n  kind: gpt\n", "configs/x.yaml:3: model.kind: 'gpt' — expected one of encoder_decoder|decoder_only|encoder_classifier|encoder_mlm" },
        { "name: x\nmodel: decoder_only\n", "configs/x.yaml:2: model: 'decoder_only' — expected a mapping with kind: encoder_decoder|decoder_only|encoder_classifier|encoder_mlm" },
        { "name: x\nmodel:\n  kind: decoder_only\n  source_vocab_size: 10\n", "configs/x.yaml:4: model.source_vocab_size: unknown key — expected a key of model; did you mean 'vocab_size'?" },
        { "model:\n  kind: decoder_only\n  vocab_size: 10\n", "configs/x.yaml:1: name: (missing) — expected a string" },
        { "name: x\n", "configs/x.yaml:1: model: (missing) — expected a mapping with kind: encoder_decoder|decoder_only|encoder_classifier|encoder_mlm" },
        { "", "configs/x.yaml:1: name: (missing) — expected a string" },
    };

    public static TheoryData<string, string> DocumentErrors => new()
    {
        { "- name\n- model\n", "configs/x.yaml:1: config: [name, model] — expected a mapping of keys (name, model, training, …)" },
        { "hello\n", "configs/x.yaml:1: config: 'hello' — expected a mapping of keys (name, model, training, …)" },
        { "name: x\nmodel: a: b\n", "configs/x.yaml:2: syntax error: While scanning a plain scalar value, found invalid mapping — expected valid YAML" },
        { "name: x\n  seed: 2\n", "configs/x.yaml:2: syntax error: While scanning a plain scalar value, found invalid mapping — expected valid YAML" },
        { "name: 'x\nseed: 2\n", "configs/x.yaml:1: syntax error: While scanning a quoted scalar, found unexpected end of stream — expected valid YAML" },
        { "name: x\nbetas: [0.9, 0.98\n", "configs/x.yaml:3: syntax error: While parsing a flow sequence, did not find expected ',' or ']' — expected valid YAML" },
        { "name: x\nbetas: [0.9, 0.98\nseed: 2\n", "configs/x.yaml:2: syntax error: the text after this line cannot be read — expected valid YAML (is a bracket or quote left open?)" },
        { "name: x\n---\nname: y\n", "configs/x.yaml:3: config: a second document — expected one YAML document (no '---' separators)" },
    };

    public static TheoryData<string, string> ValidationErrors => new()
    {
        { Pairs + "  d_model: 30\n  heads: 4\n", "configs/x.yaml:7: model.heads: 4 — expected a divisor of model.d_model (30)" },
        { "name: x\nmodel:\n  kind: encoder_decoder\n  target_vocab_size: 10\n", "configs/x.yaml:2: model.source_vocab_size: 0 — expected a positive vocabulary size" },
        { "name: x\nmodel:\n  kind: encoder_decoder\n  source_vocab_size: 10\n  target_vocab_size: 12\n  share_embeddings: true\n", "configs/x.yaml:6: model.share_embeddings: True — expected equal vocabularies (source 10, target 12)" },
        { Pairs + "device: gpu\n", "configs/x.yaml:6: device: 'gpu' — expected cpu, cuda or cuda:N" },
        { Pairs + "data:\n  kind: text\n", "configs/x.yaml:7: data.kind: 'text' — expected pairs for model.kind encoder_decoder" },
        { Pairs.Replace("name: x", "name: my run"), "configs/x.yaml:1: name: 'my run' — expected letters, digits, '.', '_' or '-' (it names the run directory)" },
        { "name: x\nmodel:\n  kind: decoder_only\n  vocab_size: 10\n", "configs/x.yaml:1: data.kind: 'pairs' — expected text for model.kind decoder_only" },
        { Pairs + "training:\n  optimizer:\n    momentum: 0.9\n", "configs/x.yaml:8: training.optimizer.momentum: 0.9 — expected 0 for adamw (momentum is sgd's; Adam's are betas)" },
        { Pairs + "training:\n  optimizer:\n    betas: [0.9, 1.5]\n", "configs/x.yaml:8: training.optimizer.betas: [0.9, 1.5] — expected two numbers in [0, 1)" },
        { Pairs + "training:\n  schedule:\n    name: cosine\n  max_steps: null\n  max_epochs: 3\n", "configs/x.yaml:9: training.max_steps: null — expected a step count for the cosine schedule (it decays to min_lr at max_steps)" },
        { Pairs + "training:\n  max_steps: ~\n", "configs/x.yaml:7: training.max_steps: null — expected a limit: at least one of max_steps, max_epochs and max_time" },
        { Pairs + "training:\n  label_smoothing: 1\n", "configs/x.yaml:7: training.label_smoothing: 1 — expected a number in [0, 1)" },
        { Pairs + "training:\n  early_stopping:\n    patience: 0\n", "configs/x.yaml:8: training.early_stopping.patience: 0 — expected a positive integer" },
        { Pairs + "data:\n  random_offset: true\n", "configs/x.yaml:7: data.random_offset: set — expected data.kind text (these shape language-model windows)" },
        { Pairs + "data:\n  include_subject: true\n", "configs/x.yaml:7: data.include_subject: true — expected data.corpus spamassassin (the only corpus of e-mail messages)" },
        { Pairs + "training:\n  eval_generate:\n    beam: 0\n", "configs/x.yaml:8: training.eval_generate.beam: 0 — expected a positive integer" },
        { Pairs + "training:\n  eval_generate:\n    no_repeat_ngram_size: -2\n", "configs/x.yaml:8: training.eval_generate.no_repeat_ngram_size: -2 — expected an integer ≥ 0" },
        { "name: x\nmodel:\n  kind: decoder_only\n  vocab_size: 10\ndata:\n  kind: text\ntraining:\n  eval_generate:\n    beam: 2\n", "configs/x.yaml:8: training.eval_generate: set — expected null for model.kind decoder_only (only encoder_decoder models decode their validation sources)" },
        { Pairs + "checkpoint:\n  keep_best_by: Valid Loss\n", "configs/x.yaml:7: checkpoint.keep_best_by: 'Valid Loss' — expected a metric name such as valid_loss" },
    };

    [Theory]
    [MemberData(nameof(BindingErrors))]
    public void Binding_errors_name_the_line_the_key_the_value_and_what_was_expected(string yaml, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(yaml));

    [Theory]
    [MemberData(nameof(DocumentErrors))]
    public void Malformed_documents_are_rejected_with_their_line(string yaml, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(yaml));

    [Theory]
    [MemberData(nameof(ValidationErrors))]
    public void Validation_errors_point_at_the_offending_key_or_its_enclosing_section(string yaml, string message) =>
        Assert.Equal(message, ConfigSamples.ErrorOf(yaml));

    [Fact]
    public void A_missing_file_is_a_config_error_naming_the_path()
    {
        var e = Assert.Throws<ConfigException>(() => Transformer.Configuration.ConfigLoader.Load("configs/does-not-exist.yaml"));
        Assert.StartsWith("config: 'configs/does-not-exist.yaml' — expected a readable YAML file", e.Message);
    }
}
