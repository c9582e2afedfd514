// The naming and scalar rules: snake_case keys, lower-case enum values, durations, number formatting, nearest key.
using Transformer.Configuration;

namespace Transformer.Tests;

public class ConfigScalarTests
{
    [Theory]
    [InlineData("DModel", "d_model")]
    [InlineData("LayerNormEps", "layer_norm_eps")]
    [InlineData("OnNonfinite", "on_nonfinite")]
    [InlineData("Lr", "lr")]
    [InlineData("HTTPServer2Port", "http_server2_port")]
    public void Property_names_become_snake_case_keys(string name, string key) => Assert.Equal(key, ConfigNaming.SnakeCase(name));

    [Theory]
    [InlineData("90s", 90, "1m30s")]
    [InlineData("30m", 1800, "30m")]
    [InlineData("2h", 7200, "2h")]
    [InlineData("1h30m", 5400, "1h30m")]
    [InlineData("1d2h3m4s", 93784, "1d2h3m4s")]
    [InlineData("0s", 0, "0s")]
    [InlineData("0h120m", 7200, "2h")]
    public void Durations_parse_and_format_in_their_shortest_form(string text, long seconds, string shortest)
    {
        Assert.True(Duration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.Equal(shortest, Duration.Format(duration));
    }

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("h")]
    [InlineData("30m2h")]
    [InlineData("1h1h")]
    [InlineData("1.5h")]
    [InlineData("-5m")]
    [InlineData("2 h")]
    public void Malformed_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-9, "1e-09")]
    [InlineData(6.987712429686843e-4, "0.0006987712429686843")]
    [InlineData(25000.0, "25000")]
    public void Numbers_are_written_in_their_shortest_round_trip_form(double value, string text) =>
        Assert.Equal(text, ConfigScalar.Format(value).Text);

    [Theory]
    [InlineData(typeof(FeedForwardActivation), "relu|gelu|swiglu")]
    [InlineData(typeof(PositionalEncodingKind), "sinusoidal|learned|rotary|none")]
    [InlineData(typeof(ScheduleKind), "inverse_sqrt|cosine|linear|constant")]
    [InlineData(typeof(OptimizerKind), "adamw|adam|sgd")]
    public void Enum_values_are_spelt_in_lower_case_unless_an_attribute_says_otherwise(Type type, string names) =>
        Assert.Equal(names, string.Join('|', ConfigNaming.EnumValues(type).Select(e => e.Name)));

    [Theory]
    [InlineData("d_modle", "d_model")]
    [InlineData("head", "heads")]
    [InlineData("learning_rate", null)]
    public void The_nearest_key_is_suggested_only_when_it_is_plausibly_the_same(string word, string? nearest) =>
        Assert.Equal(nearest, EditDistance.Nearest(word, ["d_model", "heads", "d_ff", "lr", "layers"]));
}
