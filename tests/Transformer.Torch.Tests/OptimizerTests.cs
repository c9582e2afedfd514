// torch.optim: Adam, AdamW and SGD against the closed form and against PyTorch 1.13.1's parameter
// values after N steps on the same problem, param groups, learning-rate changes, exact resume from a
// state_dict, and load_state_dict's checks. The float literals marked "PyTorch" were printed by
// /usr/bin/python3 (PyTorch 1.13.1 on the same libtorch) for the problem built in Problem below.
using System.Text.Json.Nodes;
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class OptimizerTests
{
    /// <summary>loss = mse(X Wᵀ + b, Y) with X[i,j] = ((4i+j) mod 7 − 3)/4, Y[i,j] = ((3i+j) mod 5 − 2)/2,
    /// W[k,j] = ((4k+j) mod 5 − 2)/10, b = [0.1, −0.2, 0.3] (the same formulas in the Python script).</summary>
    private sealed class Problem : IDisposable
    {
        public readonly Parameter W;
        public readonly Parameter b;
        private readonly Tensor x;
        private readonly Tensor y;

        public Problem()
        {
            x = tensor(Grid(5, 4, (i, j) => ((i * 4 + j) % 7 - 3) / 4.0), new long[] { 5, 4 }).DetachFromDisposeScope();
            y = tensor(Grid(5, 3, (i, j) => ((i * 3 + j) % 5 - 2) / 2.0), new long[] { 5, 3 }).DetachFromDisposeScope();
            W = new Parameter(tensor(Grid(3, 4, (k, j) => ((k * 4 + j) % 5 - 2) / 10.0), new long[] { 3, 4 }));
            b = new Parameter(tensor(new[] { 0.1f, -0.2f, 0.3f }));
        }

        private static float[] Grid(int rows, int cols, Func<int, int, double> f) =>
            Enumerable.Range(0, rows * cols).Select(k => (float)f(k / cols, k % cols)).ToArray();

        public Parameter[] Parameters => new[] { W, b };

        public void Backward()
        {
            using var scope = NewDisposeScope();
            nn.functional.mse_loss(nn.functional.linear(x, W, b), y).backward();
        }

        public void Run(optim.Optimizer optimizer, int steps, double[]? lrs = null)
        {
            for (var s = 0; s < steps; s++)
            {
                if (lrs is not null) optimizer.set_lr(lrs[s]);
                optimizer.zero_grad();
                Backward();
                optimizer.step();
            }
        }

        public void Dispose()
        {
            W.Dispose();
            b.Dispose();
            x.Dispose();
            y.Dispose();
        }
    }

    // With fused: false the native step runs PyTorch's single-tensor algorithm op for op on the same libtorch, so the
    // parameters come out bit-identical to PyTorch's, not merely within 1e-6.
    private static void AssertIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == actual[i], $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static void AssertAfterFiveSteps(Func<Parameter[], optim.Optimizer> make, float[] w, float[] b)
    {
        using var problem = new Problem();
        using var optimizer = make(problem.Parameters);
        problem.Run(optimizer, 5);
        AssertIdentical(w, problem.W.data<float>());
        AssertIdentical(b, problem.b.data<float>());
    }

    // The fused one-pass update (the default) against the same PyTorch values: equal within float rounding.
    [Theory]
    [InlineData("Adam")]
    [InlineData("Adam-amsgrad-maximize")]
    [InlineData("AdamW")]
    [InlineData("AdamW-amsgrad")]
    public void Fused_Adam_matches_PyTorch_within_float_rounding(string kind)
    {
        var (make, w, b) = kind switch
        {
            "Adam" => ((Func<Parameter[], optim.Optimizer>)(ps => new optim.Adam(ps, lr: 0.01, weight_decay: 0.1)), AdamWdW, AdamWdB),
            "Adam-amsgrad-maximize" => (ps => new optim.Adam(ps, lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, amsgrad: true, maximize: true), AdamAmsMaxW, AdamAmsMaxB),
            "AdamW" => (ps => new optim.AdamW(ps, lr: 0.01, weight_decay: 0.1), AdamWW, AdamWB),
            _ => (ps => new optim.AdamW(ps, lr: 0.02, beta1: 0.5, beta2: 0.9, weight_decay: 0.05, amsgrad: true), AdamWAmsW, AdamWAmsB),
        };
        using var problem = new Problem();
        using var optimizer = make(problem.Parameters);
        Assert.True(((optim.Adam)optimizer).fused);
        problem.Run(optimizer, 5);
        AssertClose(w, problem.W.data<float>());
        AssertClose(b, problem.b.data<float>());
    }

    [Fact]
    public void Fused_and_exact_updates_agree_on_a_large_tensor_and_exact_is_used_for_float64()
    {
        manual_seed(5);
        using var start = randn(70_001);
        using var grads = randn(10, 70_001);
        float[] Train(bool fused, ScalarType dtype)
        {
            using var p = new Parameter(start.to(dtype).clone());
            using var optimizer = new optim.AdamW(new[] { p }, lr: 0.01, weight_decay: 0.1, amsgrad: true, fused: fused);
            for (var s = 0; s < 10; s++)
            {
                p.grad = grads[s].to(dtype);
                optimizer.step();
            }
            return p.to(float32).data<float>();
        }
        var exact = Train(false, float32);
        var fused = Train(true, float32);
        Assert.NotEqual(start.data<float>(), fused);
        AssertClose(exact, fused);
        // float64 parameters take the exact path whatever the flag says.
        Assert.Equal(Train(false, float64), Train(true, float64));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-7, $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static readonly float[] AdamWdW = new[] { -0.1500963568687439f, -0.05007621645927429f, -0.04840850085020065f, 0.05010252818465233f, 0.15016531944274902f, -0.1505509465932846f, -0.050048984587192535f, -0.04733213782310486f, 0.05011807009577751f, 0.1501251608133316f, -0.15048350393772125f, -0.05008454993367195f };
    private static readonly float[] AdamWdB = new[] { 0.05065290629863739f, -0.15032315254211426f, 0.25017794966697693f };

    private static readonly float[] AdamAmsMaxW = new[] { -0.2501427233219147f, -0.150105282664299f, 0.050577521324157715f, 0.15013158321380615f, 0.25012749433517456f, -0.2506518065929413f, -0.1500592827796936f, 0.05071667954325676f, 0.150150865316391f, 0.25017839670181274f, -0.25057753920555115f, -0.1501198410987854f };
    private static readonly float[] AdamAmsMaxB = new[] { 0.1505422592163086f, -0.25038284063339233f, 0.3502555787563324f };

    private static readonly float[] AdamWW = new[] { -0.1491875797510147f, -0.04966133460402489f, -0.049160294234752655f, 0.049679238349199295f, 0.1491880714893341f, -0.15011557936668396f, -0.049632854759693146f, -0.0485166497528553f, 0.04969225078821182f, 0.149214968085289f, -0.14986400306224823f, -0.0496709942817688f };
    private static readonly float[] AdamWB = new[] { 0.05024511367082596f, -0.14943598210811615f, 0.24878694117069244f };

    private static readonly float[] AdamWAmsW = new[] { -0.1007888987660408f, -0.0008445773273706436f, -0.08621885627508163f, 0.0011873133480548859f, 0.10139261186122894f, -0.1160828024148941f, -0.0003062766045331955f, -0.07522791624069214f, 0.0014136116951704025f, 0.10130085051059723f, -0.11298868060112f, -0.001011732965707779f };
    private static readonly float[] AdamWAmsB = new[] { 0.011350325308740139f, -0.10517656058073044f, 0.20205752551555634f };

    [Fact]
    public void One_AdamW_step_matches_the_closed_form_update()
    {
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var p0 = new[] { 0.5f, -1.25f, 2f, 0.001f };
        var g = new[] { 0.1f, -3f, 1e-3f, 0f };
        using var p = new Parameter(tensor(p0));
        p.grad = tensor(g);
        using var optimizer = new optim.AdamW(new[] { p }, lr, b1, b2, eps, wd);
        optimizer.step();
        var actual = p.data<float>();
        for (var i = 0; i < p0.Length; i++)
        {
            double m = (1 - b1) * g[i], v = (1 - b2) * g[i] * g[i];
            double mHat = m / (1 - b1), vHat = v / (1 - b2);
            var expected = p0[i] * (1 - lr * wd) - lr * mHat / (Math.Sqrt(vHat) + eps);
            Assert.Equal(expected, actual[i], 1e-6 * Math.Abs(expected) + 1e-9);
        }
    }

    [Fact]
    public void Adam_with_weight_decay_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.Adam(ps, lr: 0.01, weight_decay: 0.1, fused: false),
        AdamWdW,
        AdamWdB);

    [Fact]
    public void Adam_with_amsgrad_and_maximize_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.Adam(ps, lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, amsgrad: true, maximize: true, fused: false),
        AdamAmsMaxW,
        AdamAmsMaxB);

    [Fact]
    public void AdamW_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.AdamW(ps, lr: 0.01, weight_decay: 0.1, fused: false),
        AdamWW,
        AdamWB);

    [Fact]
    public void AdamW_with_amsgrad_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.AdamW(ps, lr: 0.02, beta1: 0.5, beta2: 0.9, weight_decay: 0.05, amsgrad: true, fused: false),
        AdamWAmsW,
        AdamWAmsB);

    [Fact]
    public void Plain_SGD_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.SGD(ps, lr: 0.1),
        new[] { -0.06945213675498962f, 0.022507647052407265f, -0.008570479229092598f, 0.021792488172650337f, 0.18887721002101898f, -0.1929921805858612f, 0.020881637930870056f, -0.0073267254047095776f, 0.027277154847979546f, 0.10468292236328125f, -0.19119849801063538f, 0.03150929883122444f },
        new[] { 0.06783904880285263f, -0.1274775117635727f, 0.20962302386760712f });

    [Fact]
    public void SGD_with_momentum_dampening_and_weight_decay_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.SGD(ps, lr: 0.1, momentum: 0.9, dampening: 0.1, weight_decay: 0.01),
        new[] { 0.11873079836368561f, 0.1982111930847168f, -0.02078598365187645f, -0.09039662778377533f, 0.17092184722423553f, -0.18072684109210968f, 0.1954832375049591f, -0.01748201996088028f, -0.07745907455682755f, -0.03276733681559563f, -0.17623884975910187f, 0.22007162868976593f },
        new[] { 0.021585239097476006f, -0.02369222231209278f, 0.07998823374509811f });

    [Fact]
    public void SGD_with_nesterov_momentum_matches_PyTorch_after_five_steps() => AssertAfterFiveSteps(
        ps => new optim.SGD(ps, lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01),
        new[] { 0.2080492079257965f, 0.2831094563007355f, -0.026737632229924202f, -0.139762744307518f, 0.1652246117591858f, -0.17606991529464722f, 0.29280227422714233f, -0.01992507092654705f, -0.12648755311965942f, -0.0920790582895279f, -0.16859301924705505f, 0.31293490529060364f },
        new[] { 0.005269333254545927f, 0.011356143280863762f, 0.03931010887026787f });

    [Fact]
    public void Param_groups_with_their_own_lr_and_decay_match_PyTorch() => AssertAfterFiveSteps(
        // PyTorch: AdamW([{'params': [W], 'lr': 0.01}, {'params': [b], 'lr': 0.1, 'weight_decay': 0.0}], weight_decay=0.1)
        ps => new optim.AdamW(new[]
        {
            new optim.AdamParamGroup(new[] { ps[0] }, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1, amsgrad: false),
            new optim.AdamParamGroup(new[] { ps[1] }, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0, amsgrad: false),
        }, fused: false),
        new[] { -0.14929623901844025f, -0.04960339143872261f, -0.04916038364171982f, 0.04959096759557724f, 0.15907946228981018f, -0.16779886186122894f, -0.04963276535272598f, -0.03212478384375572f, 0.04948054999113083f, 0.14939457178115845f, -0.1498640775680542f, -0.049788400530815125f },
        new[] { -0.03799251466989517f, 0.16911274194717407f, -0.12372228503227234f });

    [Fact]
    public void Changing_lr_between_steps_matches_PyTorch()
    {
        using var problem = new Problem();
        using var optimizer = new optim.AdamW(problem.Parameters, lr: 0.01, fused: false);
        problem.Run(optimizer, 5, new[] { 0.01, 0.02, 0.005, 0.0, 0.03 }); // PyTorch: group['lr'] set before each step
        AssertIdentical(new[] { -0.13502047955989838f, -0.03504471108317375f, -0.06368392705917358f, 0.03507345914840698f, 0.1350141316652298f, -0.13669459521770477f, -0.0349995419383049f, -0.06244448944926262f, 0.03509535640478134f, 0.13506436347961426f, -0.13619022071361542f, -0.035060007125139236f },
            problem.W.data<float>());
        AssertIdentical(new[] { 0.03605475276708603f, -0.13543292880058289f, 0.23511150479316711f }, problem.b.data<float>());
        Assert.Equal(0.03, optimizer.param_groups[0].lr);
        Assert.Equal(0.01, optimizer.param_groups[0].initial_lr);
    }

    [Fact]
    public void Parameters_without_a_gradient_are_skipped_and_get_no_state()
    {
        using var problem = new Problem();
        using var idle = new Parameter(ones(3));
        using var adamw = new optim.AdamW(problem.Parameters.Append(idle), lr: 0.1, weight_decay: 0.5);
        using var sgd = new optim.SGD(new[] { idle }, lr: 0.1, momentum: 0.9, weight_decay: 0.5);
        problem.Run(adamw, 2);
        sgd.step();
        Assert.Equal(new float[] { 1, 1, 1 }, idle.data<float>()); // not even decayed
        var state = adamw.state_dict();
        Assert.Equal(new[] { "0", "1" }, JsonNode.Parse(state.Metadata)!["state"]!.AsObject().Select(kv => kv.Key));
        Assert.DoesNotContain(state.Tensors.Keys, k => k.StartsWith("state.2.", StringComparison.Ordinal));
        Assert.Empty(sgd.state_dict().Tensors);
        foreach (var t in state.Tensors.Values) t.Dispose();
    }

    [Fact]
    public void A_parameter_that_gets_gradients_late_counts_its_own_steps()
    {
        using var problem = new Problem();
        using var late = new Parameter(ones(2));
        using var optimizer = new optim.Adam(problem.Parameters.Append(late), lr: 0.1);
        problem.Run(optimizer, 3);
        late.grad = ones(2);
        optimizer.step();
        // First step for `late`: bias-corrected m̂/√v̂ = 1, so the update is exactly lr·g/(|g|+eps).
        Assert.Equal(1 - 0.1 / (1 + 1e-8), late.data<float>()[0], 1e-7);
        var meta = JsonNode.Parse(optimizer.state_dict().Metadata)!["state"]!;
        Assert.Equal(4, meta["0"]!["step"]!.GetValue<long>());
        Assert.Equal(1, meta["2"]!["step"]!.GetValue<long>());
    }

    public static TheoryData<string> ResumableOptimizers => new() { "Adam", "AdamW", "AdamW-amsgrad", "SGD-momentum", "SGD-nesterov" };

    private static optim.Optimizer Make(string kind, IEnumerable<Parameter> ps, double lr = 0.01) => kind switch
    {
        "Adam" => new optim.Adam(ps, lr: lr, weight_decay: 0.01),
        "AdamW" => new optim.AdamW(ps, lr: lr),
        "AdamW-amsgrad" => new optim.AdamW(ps, lr: lr, beta1: 0.8, amsgrad: true),
        "SGD-momentum" => new optim.SGD(ps, lr: lr * 10, momentum: 0.9, dampening: 0.2, weight_decay: 0.01),
        "SGD-nesterov" => new optim.SGD(ps, lr: lr * 10, momentum: 0.9, nesterov: true),
        _ => throw new ArgumentException(kind),
    };

    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc1;
        private readonly Linear fc2;

        public Mlp(long seed) : base(nameof(Mlp))
        {
            manual_seed(seed);
            fc1 = nn.Linear(6, 16);
            fc2 = nn.Linear(16, 3);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => fc2.call(fc1.call(input).relu());
    }

    private static void Train(Mlp model, optim.Optimizer optimizer, int from, int to)
    {
        for (var s = from; s < to; s++)
        {
            using var scope = NewDisposeScope();
            manual_seed(1000 + s);
            var x = randn(8, 6);
            var y = randn(8, 3);
            foreach (var g in optimizer.param_groups) g.lr = 0.01 * (1 + s); // a schedule
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }

    [Theory]
    [MemberData(nameof(ResumableOptimizers))]
    public void Resuming_from_a_state_dict_is_bit_identical_to_an_uninterrupted_run(string kind)
    {
        using var straight = new Mlp(seed: 1);
        using var straightOptimizer = Make(kind, straight.parameters());
        Train(straight, straightOptimizer, 0, 6);

        Dictionary<string, Tensor> modelState;
        optim.OptimizerState optimizerState;
        using (var first = new Mlp(seed: 1))
        using (var firstOptimizer = Make(kind, first.parameters()))
        {
            Train(first, firstOptimizer, 0, 3);
            modelState = first.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
            optimizerState = firstOptimizer.state_dict();
        } // the originals are gone: the saved state must stand alone

        using var resumed = new Mlp(seed: 99);
        using var resumedOptimizer = Make(kind, resumed.parameters(), lr: 0.5);
        resumed.load_state_dict(modelState);
        resumedOptimizer.load_state_dict(optimizerState);
        Train(resumed, resumedOptimizer, 3, 6); // steps 4–6 of the uninterrupted run
        foreach (var ((name, expected), (_, actual)) in straight.named_parameters().Zip(resumed.named_parameters()))
            Assert.True(expected.equal(actual), $"{kind}: {name} differs after resuming");
        foreach (var t in modelState.Values.Concat(optimizerState.Tensors.Values)) t.Dispose();
    }

    [Fact]
    public void Load_state_dict_restores_every_groups_hyper_parameters()
    {
        using var problem = new Problem();
        using var saved = new optim.AdamW(new[]
        {
            new optim.AdamParamGroup(new[] { problem.W }, lr: 0.3, beta1: 0.7, beta2: 0.95, eps: 1e-6, weight_decay: 0.2, amsgrad: true),
            new optim.AdamParamGroup(new[] { problem.b }, lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 1e-7, weight_decay: 0, amsgrad: false),
        });
        saved.param_groups[0].lr = 0.25; // changed by a schedule after construction
        problem.Run(saved, 1);
        using var loaded = new optim.AdamW(new[]
        {
            new optim.AdamParamGroup(new[] { problem.W }, 1, 0.9, 0.999, 1e-8, 0.01, false),
            new optim.AdamParamGroup(new[] { problem.b }, 1, 0.9, 0.999, 1e-8, 0.01, false),
        });
        var state = saved.state_dict();
        loaded.load_state_dict(state);
        for (var i = 0; i < 2; i++)
        {
            var (expected, actual) = ((optim.AdamParamGroup)saved.param_groups[i], (optim.AdamParamGroup)loaded.param_groups[i]);
            Assert.Equal((expected.lr, expected.initial_lr, expected.beta1, expected.beta2, expected.eps, expected.weight_decay, expected.amsgrad),
                (actual.lr, actual.initial_lr, actual.beta1, actual.beta2, actual.eps, actual.weight_decay, actual.amsgrad));
        }
        Assert.Equal(0.3, loaded.param_groups[0].initial_lr);
        Assert.Contains("state.0.max_exp_avg_sq", state.Tensors.Keys);

        using var sgd = new optim.SGD(problem.Parameters, lr: 0.2, momentum: 0.8, dampening: 0.3, weight_decay: 0.1);
        using var sgdLoaded = new optim.SGD(problem.Parameters, lr: 1);
        sgdLoaded.load_state_dict(sgd.state_dict());
        var g = (optim.SGDParamGroup)sgdLoaded.param_groups[0];
        Assert.Equal((0.2, 0.8, 0.3, 0.1, false), (g.lr, g.momentum, g.dampening, g.weight_decay, g.nesterov));
        foreach (var t in state.Tensors.Values) t.Dispose();
    }

    [Fact]
    public void State_dict_tensors_are_copies_of_the_optimizer_state()
    {
        using var problem = new Problem();
        using var optimizer = new optim.Adam(problem.Parameters, lr: 0.1);
        problem.Run(optimizer, 1);
        var saved = optimizer.state_dict();
        var before = saved.Tensors["state.0.exp_avg"].data<float>();
        problem.Run(optimizer, 1);
        Assert.Equal(before, saved.Tensors["state.0.exp_avg"].data<float>());
        Assert.Equal(new[] { "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq" }, saved.Tensors.Keys.Order());
        foreach (var t in saved.Tensors.Values) t.Dispose();
    }

    [Fact]
    public void Loading_another_optimizers_state_is_refused()
    {
        using var problem = new Problem();
        using var sgd = new optim.SGD(problem.Parameters, lr: 0.1, momentum: 0.9);
        using var adamw = new optim.AdamW(problem.Parameters);
        using var adam = new optim.Adam(problem.Parameters);
        problem.Run(sgd, 1);
        var e = Assert.Throws<ArgumentException>(() => adamw.load_state_dict(sgd.state_dict()));
        Assert.Contains("saved by SGD, loading into AdamW", e.Message);
        Assert.Throws<ArgumentException>(() => adam.load_state_dict(adamw.state_dict()));
        Assert.Throws<ArgumentException>(() => adam.load_state_dict(new optim.OptimizerState(new Dictionary<string, Tensor>(), "{not json")));
    }

    [Fact]
    public void Loading_a_state_with_another_group_layout_is_refused()
    {
        using var problem = new Problem();
        using var one = new optim.AdamW(problem.Parameters);
        using var two = new optim.AdamW(new[]
        {
            new optim.AdamParamGroup(new[] { problem.W }, 0.1, 0.9, 0.999, 1e-8, 0, false),
            new optim.AdamParamGroup(new[] { problem.b }, 0.1, 0.9, 0.999, 1e-8, 0, false),
        });
        Assert.Contains("2 parameter groups, the optimizer has 1", Assert.Throws<ArgumentException>(() => one.load_state_dict(two.state_dict())).Message);
        using var extra = new Parameter(zeros(1));
        using var three = new optim.AdamW(problem.Parameters.Append(extra));
        Assert.Contains("parameter group 0 has 2 parameters, the loaded state has 3", Assert.Throws<ArgumentException>(() => one.load_state_dict(three.state_dict())).Message);
    }

    [Fact]
    public void Loading_state_of_the_wrong_shape_is_refused_and_changes_nothing()
    {
        using var problem = new Problem();
        using var target = new optim.AdamW(problem.Parameters, lr: 0.1);
        problem.Run(target, 2);
        var before = target.state_dict();

        using var otherW = new Parameter(zeros(3, 4));
        using var otherB = new Parameter(zeros(5));
        using var source = new optim.AdamW(new[] { otherW, otherB }, lr: 0.7);
        otherW.grad = ones(3, 4);
        otherB.grad = ones(5);
        source.step();
        var e = Assert.Throws<ArgumentException>(() => target.load_state_dict(source.state_dict()));
        Assert.Contains("state.1.exp_avg has shape [5], parameter 1 has [3]", e.Message);

        var after = target.state_dict();
        Assert.Equal(before.Metadata, after.Metadata);
        foreach (var (name, t) in before.Tensors) Assert.True(t.equal(after.Tensors[name]), name);
        Assert.Equal(0.1, target.param_groups[0].lr);
    }

    [Fact]
    public void Invalid_hyper_parameters_are_refused()
    {
        using var p = new Parameter(zeros(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.AdamW(new[] { p }, lr: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.Adam(new[] { p }, beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.Adam(new[] { p }, beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.Adam(new[] { p }, eps: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.AdamW(new[] { p }, weight_decay: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new optim.SGD(new[] { p }, lr: 0.1, momentum: -0.5));
        Assert.Throws<ArgumentException>(() => new optim.SGD(new[] { p }, lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new optim.SGD(new[] { p }, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new optim.SGD(Array.Empty<Parameter>(), lr: 0.1));
        Assert.Throws<ArgumentException>(() => new optim.SGD(new[] { p, p }, lr: 0.1));
    }

    [Fact]
    public void Optimizer_zero_grad_drops_or_zeroes_every_gradient()
    {
        using var problem = new Problem();
        using var optimizer = new optim.SGD(problem.Parameters, lr: 0.1);
        problem.Backward();
        optimizer.zero_grad(set_to_none: false);
        using (var g = problem.b.grad!) Assert.Equal(new float[] { 0, 0, 0 }, g.data<float>());
        optimizer.zero_grad();
        Assert.Null(problem.W.grad);
    }
}
