// torch.nn.Module: dotted names in PyTorch's order, counting, registration, state_dict loading,
// train/eval and dtype conversion. Expected key lists come from running the same structure in
// PyTorch 1.13.1 (/usr/bin/python3) and are pasted here.
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class ModuleTests
{
    private sealed class SelfAttention : nn.Module
    {
        public SelfAttention(long d) : base(nameof(SelfAttention))
        {
            register_parameter("in_proj_weight", new Parameter(zeros(3 * d, d)));
            register_module("out_proj", nn.Linear(d, d));
        }
    }

    private sealed class Layer : nn.Module
    {
        public Layer(long d) : base(nameof(Layer))
        {
            register_module("self_attn", new SelfAttention(d));
            register_module("norm", nn.LayerNorm(d));
            register_module("dropout", nn.Dropout(0.1));
            register_buffer("mask", zeros(2, 2));
            register_buffer("cache", zeros(3), persistent: false);
        }
    }

    private sealed class Encoder : nn.Module
    {
        public Encoder(long d, int n) : base(nameof(Encoder))
        {
            register_module("layers", new ModuleList<Layer>(Enumerable.Range(0, n).Select(_ => new Layer(d))));
            register_module("final_norm", nn.LayerNorm(d));
        }
    }

    // PyTorch lists a module's own parameters and buffers before its children's, whatever the
    // order of assignment: `scale` and `step` come first although registered last.
    private sealed class Model : nn.Module
    {
        public Model(long d) : base(nameof(Model))
        {
            register_module("encoder", new Encoder(d, 2));
            register_module("head", nn.Linear(d, 5, hasBias: false));
            register_parameter("scale", new Parameter(ones(1)));
            register_buffer("step", zeros(new long[0], int64));
        }
    }

    // The same structure through fields and RegisterComponents.
    private sealed class FieldSelfAttention : nn.Module
    {
        private readonly Parameter in_proj_weight;
        private readonly Linear out_proj;

        public FieldSelfAttention(long d) : base("SelfAttention")
        {
            in_proj_weight = new Parameter(zeros(3 * d, d));
            out_proj = nn.Linear(d, d);
            RegisterComponents();
        }
    }

    private sealed class FieldLayer : nn.Module
    {
        public FieldSelfAttention self_attn { get; }
        public LayerNorm norm { get; }
        public Dropout dropout { get; }
        private readonly Tensor mask = zeros(2, 2);

        public FieldLayer(long d) : base("Layer")
        {
            self_attn = new FieldSelfAttention(d);
            norm = nn.LayerNorm(d);
            dropout = nn.Dropout(0.1);
            RegisterComponents();
            register_buffer("cache", zeros(3), persistent: false);
        }
    }

    private sealed class Tied : nn.Module
    {
        public Tied() : base(nameof(Tied))
        {
            var embed = nn.Embedding(10, 4);
            var head = nn.Linear(4, 10, hasBias: false);
            register_module("embed", embed);
            register_module("head", head);
            head.register_parameter("weight", embed.weight);
            var shared = nn.LayerNorm(4);
            register_module("norm_a", shared);
            register_module("norm_b", shared);
            shared.register_buffer("counter", zeros(2));
        }
    }

    private static readonly string[] ExpectedStateDictKeys =
    {
        "scale", "step", "encoder.layers.0.mask", "encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.out_proj.weight",
        "encoder.layers.0.self_attn.out_proj.bias", "encoder.layers.0.norm.weight", "encoder.layers.0.norm.bias", "encoder.layers.1.mask",
        "encoder.layers.1.self_attn.in_proj_weight", "encoder.layers.1.self_attn.out_proj.weight", "encoder.layers.1.self_attn.out_proj.bias",
        "encoder.layers.1.norm.weight", "encoder.layers.1.norm.bias", "encoder.final_norm.weight", "encoder.final_norm.bias", "head.weight",
    };

    [Fact]
    public void State_dict_keys_match_PyTorchs_names_and_order()
    {
        using var m = new Model(4);
        Assert.Equal(ExpectedStateDictKeys, m.state_dict().Keys);
    }

    [Fact]
    public void Named_parameters_and_buffers_match_PyTorchs_names_and_order()
    {
        using var m = new Model(4);
        Assert.Equal(ExpectedStateDictKeys.Where(k => !k.EndsWith("mask") && k != "step"), m.named_parameters().Select(e => e.name));
        Assert.Equal(new[] { "step", "encoder.layers.0.mask", "encoder.layers.0.cache", "encoder.layers.1.mask", "encoder.layers.1.cache" },
            m.named_buffers().Select(e => e.name));
        Assert.Equal(new[] { "", "encoder", "encoder.layers", "encoder.layers.0", "encoder.layers.0.self_attn", "encoder.layers.0.self_attn.out_proj" },
            m.named_modules().Select(e => e.name).Take(6));
    }

    [Fact]
    public void Parameter_count_matches_PyTorchs()
    {
        using var m = new Model(4);
        Assert.Equal(181, m.parameter_count()); // sum(p.numel() for p in m.parameters()) in PyTorch
        m.named_parameters().Single(e => e.name == "scale").parameter.requires_grad = false;
        Assert.Equal(180, m.parameter_count(trainable_only: true));
    }

    [Fact]
    public void Shared_parameters_are_counted_and_listed_once_but_appear_under_each_name_in_the_state_dict()
    {
        using var m = new Tied();
        // PyTorch: named_parameters dedups (embed.weight only); state_dict keeps every name.
        Assert.Equal(new[] { "embed.weight", "norm_a.weight", "norm_a.bias" }, m.named_parameters().Select(e => e.name));
        Assert.Equal(10 * 4 + 4 + 4, m.parameter_count());
        Assert.Equal(new[] { "embed.weight", "head.weight", "norm_a.weight", "norm_a.bias", "norm_a.counter", "norm_b.weight", "norm_b.bias", "norm_b.counter" },
            m.state_dict().Keys);
    }

    [Fact]
    public void A_module_registered_twice_is_listed_once_with_its_buffers()
    {
        using var m = new Tied();
        Assert.Equal(new[] { "", "embed", "head", "norm_a" }, m.named_modules().Select(e => e.name));
        Assert.Equal(new[] { "norm_a.counter" }, m.named_buffers().Select(e => e.name));
    }

    [Fact]
    public void RegisterComponents_is_equivalent_to_explicit_registration()
    {
        using var explicitLayer = new Layer(4);
        using var fieldLayer = new FieldLayer(4);
        Assert.Equal(explicitLayer.state_dict().Keys, fieldLayer.state_dict().Keys);
        Assert.Equal(explicitLayer.named_parameters().Select(e => e.name), fieldLayer.named_parameters().Select(e => e.name));
        Assert.Equal(explicitLayer.named_buffers().Select(e => e.name), fieldLayer.named_buffers().Select(e => e.name));
        Assert.Equal(explicitLayer.named_modules().Select(e => e.name), fieldLayer.named_modules().Select(e => e.name));
        Assert.Same(fieldLayer.norm, fieldLayer.named_children().Single(c => c.name == "norm").module);
    }

    [Fact]
    public void Registering_a_name_twice_or_a_dotted_name_is_refused()
    {
        using var m = new Layer(4);
        Assert.Throws<ArgumentException>(() => m.register_buffer("norm", zeros(1)));
        Assert.Throws<ArgumentException>(() => m.register_parameter("a.b", new Parameter(zeros(1))));
        Assert.Throws<ArgumentException>(() => m.register_module("", nn.Dropout()));
    }

    [Fact]
    public void Load_state_dict_round_trips_values_into_another_model()
    {
        manual_seed(1);
        using var source = new Model(4);
        using (no_grad())
            foreach (var (_, t) in source.state_dict())
                if (t.is_floating_point()) t.uniform_(-1, 1);
        using var target = new Model(4);
        var (missing, unexpected) = target.load_state_dict(source.state_dict());
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        foreach (var (name, t) in source.state_dict())
            Assert.True(t.equal(target.state_dict()[name]), name);
    }

    [Fact]
    public void Loaded_values_are_copied_not_aliased()
    {
        using var m = nn.Linear(2, 2);
        using var w = ones(2, 2);
        using var b = zeros(2);
        var weightBefore = m.weight;
        m.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w, ["bias"] = b });
        w.fill_(7.0);
        Assert.Same(weightBefore, m.weight);
        Assert.Equal(new float[] { 1, 1, 1, 1 }, m.weight.data<float>());
        Assert.True(m.weight.requires_grad);
        Assert.True(m.weight.is_leaf);
    }

    [Fact]
    public void Load_state_dict_lists_every_missing_unexpected_and_mismatched_key_in_one_error()
    {
        using var m = new Layer(4);
        using var wrong = zeros(5);
        using var extra = zeros(1);
        var dict = m.state_dict().Where(kv => kv.Key != "mask" && kv.Key != "norm.bias")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        dict["norm.weight"] = wrong;
        dict["surplus"] = extra;
        dict["cache"] = extra; // non-persistent buffers are not part of the state
        var e = Assert.Throws<ArgumentException>(() => m.load_state_dict(dict));
        Assert.Contains("Missing key(s) in state_dict: \"mask\", \"norm.bias\"", e.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"surplus\", \"cache\"", e.Message);
        Assert.Contains("size mismatch for norm.weight: copying a param with shape [5], the shape in current model is [4]", e.Message);
    }

    [Fact]
    public void Load_state_dict_changes_nothing_when_it_fails()
    {
        using var m = nn.Linear(2, 2);
        var before = m.weight.data<float>();
        using var w = ones(2, 2);
        Assert.Throws<ArgumentException>(() => m.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w }));
        Assert.Equal(before, m.weight.data<float>());
    }

    [Fact]
    public void Non_strict_loading_reports_missing_and_unexpected_keys_and_copies_the_rest()
    {
        using var m = nn.Linear(2, 2);
        var bias = m.bias!.data<float>();
        using var w = full(new long[] { 2, 2 }, 3.0);
        using var extra = zeros(1);
        var (missing, unexpected) = m.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = w, ["extra"] = extra }, strict: false);
        Assert.Equal(new[] { "bias" }, missing);
        Assert.Equal(new[] { "extra" }, unexpected);
        Assert.Equal(new float[] { 3, 3, 3, 3 }, m.weight.data<float>());
        Assert.Equal(bias, m.bias.data<float>());
        using var wrong = zeros(3);
        Assert.Throws<ArgumentException>(() => m.load_state_dict(new Dictionary<string, Tensor> { ["bias"] = wrong }, strict: false));
    }

    [Fact]
    public void Train_and_eval_apply_recursively()
    {
        using var m = new Model(4);
        Assert.All(m.named_modules(), e => Assert.True(e.module.training));
        m.eval();
        Assert.All(m.named_modules(), e => Assert.False(e.module.training));
        m.train();
        Assert.All(m.named_modules(), e => Assert.True(e.module.training));
        m.train(false);
        Assert.All(m.named_modules(), e => Assert.False(e.module.training));
    }

    [Fact]
    public void Dropout_is_the_identity_in_eval_mode_and_drops_in_training()
    {
        using var scope = NewDisposeScope();
        var dropout = nn.Dropout(0.5);
        var x = ones(1000);
        manual_seed(3);
        var trained = dropout.call(x);
        var zeroCount = trained.eq(0).sum().item<long>();
        Assert.InRange(zeroCount, 400, 600);
        Assert.True(trained.eq(0).logical_or(trained.eq(2)).all().item<bool>()); // kept values scaled by 1/(1-p)
        dropout.eval();
        Assert.True(dropout.call(x).equal(x));
    }

    [Fact]
    public void To_float64_converts_values_and_keeps_parameter_identity()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var m = new Model(4);
        var parameters = m.parameters().ToArray();
        var before = parameters.Select(p => p.data<float>()).ToArray();
        using var optimizer = new optim.AdamW(parameters, lr: 0.1);
        m.to(float64);
        Assert.Equal(parameters, m.parameters());
        Assert.All(parameters, p => Assert.Equal(float64, p.dtype));
        Assert.All(parameters, p => Assert.True(p.requires_grad && p.is_leaf));
        for (var i = 0; i < parameters.Length; i++)
            Assert.Equal(before[i].Select(v => (double)v), parameters[i].data<double>());
        Assert.Equal(float64, m.named_buffers().Single(b => b.name.EndsWith("0.mask")).buffer.dtype);
        Assert.Equal(int64, m.named_buffers().Single(b => b.name == "step").buffer.dtype); // integers stay integers

        // The optimizer made before the conversion still updates the converted parameters.
        var head = m.named_parameters().Single(e => e.name == "head.weight").parameter;
        var headBefore = head.data<double>();
        head.sum().backward();
        optimizer.step();
        Assert.NotEqual(headBefore, head.data<double>());
    }

    [Fact]
    public void To_float64_converts_existing_gradients_too()
    {
        using var scope = NewDisposeScope();
        var m = nn.Linear(3, 2);
        var x = ones(4, 3);
        m.call(x).sum().backward();
        m.to(float64);
        Assert.Equal(float64, m.weight.grad!.dtype);
        // A second backward accumulates into the converted gradient (PyTorch's Module._apply converts .grad too).
        m.call(x.to(float64)).sum().backward();
        Assert.Equal(new double[] { 8, 8 }, m.bias!.grad!.data<double>());
    }

    [Fact]
    public void Zero_grad_drops_or_zeroes_every_gradient()
    {
        using var scope = NewDisposeScope();
        var m = nn.Linear(3, 2);
        m.call(ones(1, 3)).sum().backward();
        m.zero_grad(set_to_none: false);
        Assert.Equal(new float[] { 0, 0 }, m.bias!.grad!.data<float>());
        m.zero_grad();
        Assert.Null(m.weight.grad);
    }

    [Fact]
    public void Disposing_a_module_disposes_its_parameters_and_buffers()
    {
        var m = new Layer(4);
        var p = m.parameters().First();
        var b = m.buffers().First();
        m.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.shape);
        Assert.Throws<ObjectDisposedException>(() => b.shape);
    }
}
