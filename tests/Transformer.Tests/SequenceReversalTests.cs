// The built-in default experiment: deterministic data, disjoint held-out strings, and a config file
// that is the built-in config.
using Transformer.Configuration;
using Transformer.Experiments;

namespace Transformer.Tests;

public class SequenceReversalTests
{
    [Fact]
    public void Configs_reverse_yaml_is_the_built_in_experiment()
    {
        var fromFile = ConfigLoader.Load(Path.Combine(RepositoryRoot.Path, "configs", "reverse.yaml"));
        Assert.Equal(SequenceReversal.DefaultConfig(), fromFile);
    }

    [Fact]
    public void The_data_are_deterministic_and_held_out_strings_never_occur_in_training()
    {
        var a = new SequenceReversal(7, 512, trainSize: 2000, heldOutSize: 200);
        var b = new SequenceReversal(7, 512, trainSize: 2000, heldOutSize: 200);
        Assert.Equal(a.Test.Select(SequenceReversal.Decode), b.Test.Select(SequenceReversal.Decode));
        var training = a.Epoch(0, 0).SelectMany(batch =>
        {
            using (batch)
                return Rows(((Transformer.Data.Batching.Seq2SeqBatch)batch).Source).ToList();
        }).ToHashSet();
        Assert.Equal(2000, training.Count);
        Assert.DoesNotContain(a.Test.Select(SequenceReversal.Decode), training.Contains);
        Assert.DoesNotContain(a.ValidationExamples.Select(SequenceReversal.Decode), training.Contains);
    }

    [Fact]
    public void A_batch_holds_the_string_its_reversal_after_BOS_and_its_reversal_before_EOS()
    {
        using var batch = SequenceReversal.Batch(new[] { SequenceReversal.Encode("abc"), SequenceReversal.Encode("de") });
        Assert.Equal(new long[] { 3, 4, 5, 6, 7, 0 }, batch.Source.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 5, 4, 3, 1, 7, 6, 0 }, batch.TargetInput.data<long>().ToArray());
        Assert.Equal(new long[] { 5, 4, 3, 2, 7, 6, 2, 0 }, batch.TargetOutput.data<long>().ToArray());
        Assert.Equal(7, batch.RealTokens);
    }

    private static IEnumerable<string> Rows(Tensor source)
    {
        var width = (int)source.size(1);
        var ids = source.data<long>().ToArray();
        for (var r = 0; r < source.size(0); r++)
            yield return SequenceReversal.Decode(ids.Skip(r * width).Take(width).Select(i => (int)i));
    }
}
