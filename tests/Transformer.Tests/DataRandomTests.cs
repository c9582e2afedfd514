// SplitMix64 against the reference algorithm's outputs (computed independently in Python), and the data cursor's JSON.
using Transformer.Data;
using Transformer.Data.Batching;

namespace Transformer.Tests;

public class DataRandomTests
{
    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        var random = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, expected.Select(_ => random.NextUInt64()));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(7UL)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void Bounded_draws_stay_below_the_bound(ulong bound)
    {
        var random = SplitMix64.For(5, 1);
        for (var i = 0; i < 1000; i++) Assert.True(random.NextBelow(bound) < bound);
    }

    [Fact]
    public void A_shuffle_is_a_permutation_and_depends_on_seed_and_stream()
    {
        int[] Shuffled(long seed, long stream)
        {
            var items = Enumerable.Range(0, 100).ToArray();
            SplitMix64.For(seed, stream).Shuffle<int>(items);
            return items;
        }
        Assert.Equal(Enumerable.Range(0, 100), Shuffled(1, 0).Order());
        Assert.Equal(Shuffled(1, 0), Shuffled(1, 0));
        Assert.NotEqual(Shuffled(1, 0), Shuffled(1, 1));
        Assert.NotEqual(Shuffled(1, 0), Shuffled(2, 0));
    }

    [Fact]
    public void A_cursor_round_trips_through_json()
    {
        var cursor = new DataCursor(3, 17);
        Assert.Equal("{\"epoch\":3,\"position\":17}", cursor.ToJson());
        Assert.Equal(cursor, DataCursor.FromJson(cursor.ToJson()));
        Assert.Throws<FormatException>(() => DataCursor.FromJson("{\"epoch\":-1,\"position\":0}"));
        Assert.Throws<FormatException>(() => DataCursor.FromJson("not json"));
    }
}
