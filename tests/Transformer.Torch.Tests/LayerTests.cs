// Built-in layers: initial values identical to PyTorch's for the same seed, forward results and
// gradients. Float literals marked "PyTorch" were printed by PyTorch 1.13.1 (/usr/bin/python3) with
// the same seed and pasted here.
using Transformer.Torch.Modules;

namespace Transformer.Torch.Tests;

public class LayerTests
{
    [Fact]
    public void Linear_after_seed_42_has_PyTorchs_weight_and_bias()
    {
        manual_seed(42);
        using var linear = nn.Linear(4, 3);
        // PyTorch: torch.manual_seed(42); torch.nn.Linear(4, 3)
        var weight = new[]
        {
            0.3822692632675171f, 0.4150039553642273f, -0.11713624000549316f, 0.45930564403533936f, -0.10955178737640381f, 0.10089534521102905f,
            -0.24342751502990723f, 0.2936413288116455f, 0.4407714605331421f, -0.3668140769004822f, 0.43459808826446533f, 0.09357964992523193f,
        };
        var bias = new[] { 0.3694044351577759f, 0.06771528720855713f, 0.24109405279159546f };
        Assert.Equal(new long[] { 3, 4 }, linear.weight.shape);
        Assert.Equal(weight, linear.weight.data<float>());
        Assert.Equal(bias, linear.bias!.data<float>());
        Assert.True(linear.weight.requires_grad && linear.weight.is_leaf);
        Assert.Equal(new[] { "weight", "bias" }, linear.state_dict().Keys);
    }

    [Fact]
    public void Linear_computes_x_times_weight_transposed_plus_bias()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(2, 2);
        linear.load_state_dict(new Dictionary<string, Tensor>
        {
            ["weight"] = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 }),
            ["bias"] = tensor(new float[] { 10, 20 }),
        });
        var y = linear.call(tensor(new float[] { 1, 1, 2, -1 }, new long[] { 2, 2 }));
        // [1,1]·[[1,2],[3,4]]ᵀ + [10,20] = [13, 27]; [2,-1] → [10, 22]
        Assert.Equal(new float[] { 13, 27, 10, 22 }, y.data<float>());
    }

    [Fact]
    public void Linear_without_bias_has_only_a_weight()
    {
        using var linear = nn.Linear(3, 2, hasBias: false);
        Assert.Null(linear.bias);
        Assert.Equal(new[] { "weight" }, linear.state_dict().Keys);
        Assert.Equal(6, linear.parameter_count());
    }

    [Fact]
    public void Linear_with_no_inputs_is_built_like_PyTorchs()
    {
        using var linear = nn.Linear(0, 3);
        Assert.Equal(new long[] { 3, 0 }, linear.weight.shape);
        Assert.Equal(new float[] { 0, 0, 0 }, linear.bias!.data<float>()); // PyTorch: bound 0 when fan_in is 0
    }

    [Fact]
    public void Linear_parameters_can_be_created_in_float64()
    {
        using var linear = nn.Linear(2, 2, dtype: float64);
        Assert.Equal(float64, linear.weight.dtype);
        Assert.Equal(float64, linear.bias!.dtype);
    }

    [Fact]
    public void Embedding_after_seed_42_has_PyTorchs_weight_with_a_zero_padding_row()
    {
        manual_seed(42);
        using var embedding = nn.Embedding(5, 3, padding_idx: 1);
        // PyTorch: torch.manual_seed(42); torch.nn.Embedding(5, 3, padding_idx=1)
        var expected = new[]
        {
            0.33669036626815796f, 0.12880940735340118f, 0.23446236550807953f, 0.0f, 0.0f, 0.0f, 2.2082014083862305f, -0.637997031211853f,
            0.46165722608566284f, 0.2673508822917938f, 0.5349046587944031f, 0.809357225894928f, 1.110290288925171f, -1.6897989511489868f,
            -0.9889599084854126f,
        };
        Assert.Equal(expected, embedding.weight.data<float>());
        Assert.True(embedding.weight.requires_grad && embedding.weight.is_leaf);
    }

    [Fact]
    public void Embedding_padding_row_gets_no_gradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var embedding = nn.Embedding(5, 3, padding_idx: 1);
        var indices = tensor(new long[] { 1, 0, 1, 3, 0 });
        var weights = arange(0, 15, 1, float32).reshape(5, 3);
        (embedding.call(indices) * weights).sum().backward();
        // row 0 gets rows 1 and 4 of `weights`, row 3 gets row 3, the padding row (1) gets nothing
        Assert.Equal(new float[] { 15, 17, 19, 0, 0, 0, 0, 0, 0, 9, 10, 11, 0, 0, 0 }, embedding.weight.grad!.data<float>());
    }

    [Fact]
    public void Embedding_negative_padding_index_counts_from_the_end_as_in_PyTorch()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var embedding = nn.Embedding(4, 2, padding_idx: -1);
        Assert.Equal(3, embedding.padding_idx);
        // PyTorch: torch.manual_seed(7); torch.nn.Embedding(4, 2, padding_idx=-1), then the same lookup and backward
        Assert.Equal(new[] { -0.1467950940132141f, 0.7861412763595581f, 0.9468216300010681f, -1.1143440008163452f, 1.6907901763916016f, -0.8948279023170471f, 0f, 0f },
            embedding.weight.data<float>());
        var output = embedding.call(tensor(new long[] { 3, 0, 3, 2 }, new long[] { 2, 2 }));
        (output * arange(0, 8, 1, float32).reshape(2, 2, 2)).sum().backward();
        Assert.Equal(new[] { 2f, 3f, 0f, 0f, 6f, 7f, 0f, 0f }, embedding.weight.grad!.data<float>());
    }

    [Fact]
    public void Embedding_padding_index_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Embedding(5, 3, padding_idx: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Embedding(5, 3, padding_idx: -6));
    }

    [Fact]
    public void LayerNorm_starts_as_ones_and_zeros_and_normalises_like_PyTorch()
    {
        using var scope = NewDisposeScope();
        var norm = nn.LayerNorm(4);
        Assert.Equal(new float[] { 1, 1, 1, 1 }, norm.weight!.data<float>());
        Assert.Equal(new float[] { 0, 0, 0, 0 }, norm.bias!.data<float>());
        var y = norm.call(tensor(new float[] { 1, 2, 3, 4, 2, 2, 2, 6 }, new long[] { 2, 4 }));
        // PyTorch: torch.nn.LayerNorm(4)(torch.tensor([[1.,2.,3.,4.],[2.,2.,2.,6.]]))
        var expected = new[] { -1.3416354656219482f, -0.4472118616104126f, 0.4472118020057678f, 1.3416354656219482f, -0.5773493051528931f, -0.5773493051528931f, -0.5773493051528931f, 1.7320479154586792f };
        var actual = y.data<float>();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    [Fact]
    public void LayerNorm_without_affine_has_no_parameters()
    {
        using var norm = nn.LayerNorm(new long[] { 2, 3 }, elementwise_affine: false);
        Assert.Empty(norm.parameters());
        Assert.Null(norm.weight);
        Assert.Equal(new long[] { 2, 3 }, norm.normalized_shape);
    }

    [Fact]
    public void Dropout_probability_outside_0_to_1_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(1.5));
    }

    [Fact]
    public void Dropout_with_p_1_zeroes_everything_while_training()
    {
        using var scope = NewDisposeScope();
        var dropout = nn.Dropout(1.0);
        Assert.Equal(new float[] { 0, 0, 0 }, dropout.call(ones(3)).data<float>());
    }

    [Fact]
    public void ModuleList_names_its_items_by_index()
    {
        using var list = nn.ModuleList(nn.Linear(2, 2), nn.Linear(2, 3));
        Assert.Equal(2, list.Count);
        Assert.Equal(3, list[1].out_features);
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, list.state_dict().Keys);
        list.Add(nn.Linear(3, 1, hasBias: false));
        Assert.Equal("2.weight", list.named_parameters().Last().name);
    }
}
