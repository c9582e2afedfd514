// The in-process parts of data-parallel training: batch shares, bucketed gradient sums, and the loss
// weighting that makes the ranks' summed gradients the whole batch's gradient.
using Transformer.Data.Batching;
using Transformer.Distributed;
using Transformer.Experiments;
using Transformer.Models;
using Transformer.Training;
using static TorchSharp.torch;

namespace Transformer.Tests;

public sealed class DistributedTests
{
    private static Seq2SeqBatch ReversalBatch(int rows)
    {
        var examples = new SequenceReversal(seed: 5, batchTokens: 4096, trainSize: 50, heldOutSize: 5).ValidationExamples;
        return SequenceReversal.Batch(Enumerable.Range(0, rows).Select(i => examples[i % examples.Count].Take(4 + i % 5).ToArray()).ToArray());
    }

    [Fact]
    public void Shares_of_a_batch_are_disjoint_and_together_the_batch()
    {
        using var batch = ReversalBatch(7);
        var seen = new List<long[]>();
        long tokens = 0;
        for (var rank = 0; rank < 3; rank++)
        {
            using var share = (Seq2SeqBatch)BatchShard.Take(batch, rank, 3)!;
            Assert.Equal(batch.Source.size(1), share.Source.size(1));
            for (var row = 0; row < share.Rows; row++)
            {
                Assert.Equal(batch.Source[rank + 3 * row].data<long>().ToArray(), share.Source[row].data<long>().ToArray());
                seen.Add(share.TargetOutput[row].data<long>().ToArray());
            }
            tokens += share.RealTokens;
        }
        Assert.Equal(7, seen.Count);
        Assert.Equal(batch.RealTokens, tokens);
    }

    [Fact]
    public void A_rank_with_no_rows_of_a_small_batch_gets_no_share()
    {
        using var batch = ReversalBatch(2);
        Assert.Null(BatchShard.Take(batch, 2, 3));
    }

    /// <summary>Two identical ranks: every all-reduce doubles its buffer.</summary>
    private sealed class TwinRanks : ICommunicator
    {
        public List<int> Lengths { get; } = [];
        public int Rank => 0;
        public int Size => 2;
        public void AllReduceSum(Span<float> values) { Lengths.Add(values.Length); foreach (ref var v in values) v *= 2; }
        public void AllReduceSum(Span<double> values) { foreach (ref var v in values) v *= 2; }
        public void AllReduceSum(Tensor values) { Lengths.Add((int)values.numel()); values.mul_(2); }
        public void Broadcast(Span<byte> values) { }
        public void Broadcast(Span<float> values) { }
        public void Broadcast(Tensor values) { }
        public void Barrier() { }
        public void Abort(int exitCode) { }
        public void Dispose() { }
    }

    [Fact]
    public void Gradients_are_summed_in_buckets_of_the_configured_size_and_a_missing_gradient_stays_missing()
    {
        var a = randn(10).requires_grad_();
        var b = randn(3, 4).requires_grad_();
        var c = randn(5).requires_grad_();            // no gradient on any rank
        (a.sum() * 3 + (b * b).sum()).backward();
        var expectedA = a.grad!.clone();
        var expectedB = b.grad!.clone();
        var ranks = new TwinRanks();
        new GradientBuckets(ranks, bucketBytes: 8 * sizeof(float)).SumInto([a, b, c]);
        // 1 all-reduce of the presence flags, then 27 floats (10 + 12 + 5 zeros) in buckets of 8: 8, 8, 8, 3.
        Assert.Equal([3, 8, 8, 8, 3], ranks.Lengths);
        Assert.Equal(0.0, (a.grad! - 2 * expectedA).abs().max().item<float>());
        Assert.Equal(0.0, (b.grad! - 2 * expectedB).abs().max().item<float>());
        Assert.Null(c.grad);
    }

    [Fact]
    public void A_tensor_address_is_its_first_element_storage_offset_included()
    {
        using var t = arange(12, dtype: ScalarType.Float32);
        using var tail = t.narrow(0, 5, 7);
        Assert.Equal(5 * sizeof(float), Engine.TensorAddress.Of(tail) - Engine.TensorAddress.Of(t));
        Assert.Equal(5f, BitConverter.Int32BitsToSingle(System.Runtime.InteropServices.Marshal.ReadInt32(Engine.TensorAddress.Of(tail))));
        Assert.Equal(11f, BitConverter.Int32BitsToSingle(System.Runtime.InteropServices.Marshal.ReadInt32(Engine.TensorAddress.Of(tail), 6 * sizeof(float))));
    }

    [Fact]
    public void Nccl_without_its_library_is_one_line_naming_what_to_install()
    {
        // No machine here has NCCL; where one has, this is not the case to test.
        if (System.Runtime.InteropServices.NativeLibrary.TryLoad("libnccl.so.2", out _)) return;
        var e = Assert.Throws<EnvironmentException>(() => NcclCommunicator.Bootstrap(new TwinRanks(), device: 0));
        Assert.Contains("cannot load libnccl.so.2 (NCCL)", e.Message);
        Assert.Contains("libnccl2", e.Message);
    }

    [Fact]
    public void Token_weighted_shares_sum_to_the_gradient_of_the_whole_batch()
    {
        var config = SequenceReversal.DefaultConfig();
        var modelConfig = (EncoderDecoderConfig)config.Model with { DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0 };
        using var model = Model.Build(modelConfig, seed: 1, CPU);
        using var batch = ReversalBatch(9);
        Objective.Compute(model, batch, labelSmoothing: 0.1).Loss.backward();
        var whole = model.parameters().Select(p => p.grad!.clone()).ToList();
        foreach (var p in model.parameters()) p.grad = null;

        for (var rank = 0; rank < 2; rank++)
        {
            using var share = BatchShard.Take(batch, rank, 2)!;
            var result = Objective.Compute(model, share, labelSmoothing: 0.1);
            (result.Loss * (float)((double)result.Tokens / batch.RealTokens)).backward();   // gradients accumulate: the sum over ranks
        }
        foreach (var (p, expected) in model.parameters().Zip(whole))
            Assert.True(allclose(p.grad!, expected, rtol: 1e-4, atol: 1e-6), "a parameter's summed gradient differs from the whole batch's");
    }
}
