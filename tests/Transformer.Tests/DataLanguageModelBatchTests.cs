// Language-model batches: contiguous windows of the documents joined by EOS, target = input shifted by one,
// every window once per epoch, resumable from a cursor.
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Tests;

public sealed class DataLanguageModelBatchTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CharEncoder encoder = new();
    private readonly string[] documents = Enumerable.Range(0, 40).Select(i => $"document number {i} says {new string('z', i % 5)}").ToArray();
    private readonly PreparedDataset data;

    public DataLanguageModelBatchTests()
    {
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("lm"),
            Source = new SourceOptions { Kind = SourceKind.Text },
            Train = [temp.File("docs.txt", string.Join("\n", documents))],
        }, encoder);
        data = PreparedDataset.Open(result.Directory);
    }

    public void Dispose()
    {
        data.Dispose();
        temp.Dispose();
    }

    private long[] Stream() => documents.SelectMany(d => encoder.Ids(d).Append(2L)).ToArray();

    [Theory]
    [InlineData(8, 4, false)]
    [InlineData(13, 5, false)]
    [InlineData(32, 7, true)]
    public void Windows_are_exact_shifted_slices_of_the_eos_joined_stream_each_once_per_epoch(int blockSize, int batchSize, bool dropLast)
    {
        var stream = Stream();
        var windows = (stream.Length - 1) / blockSize;
        var batches = new LanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = blockSize, BatchSize = batchSize, DropLast = dropLast, Seed = 8 });
        Assert.Equal(windows, batches.Batcher.Windows);
        var seen = new List<long>();
        foreach (var batch in batches.ReadEpoch(0))
            using (batch)
            {
                Assert.Equal([batch.Rows, blockSize], batch.Input.shape);
                Assert.True(dropLast ? batch.Rows == batchSize : batch.Rows <= batchSize);
                long[] input = batch.Input.data<long>().ToArray(), target = batch.Target.data<long>().ToArray();
                for (var r = 0; r < batch.Rows; r++)
                {
                    var at = (int)batch.Examples[r] * blockSize;
                    Assert.Equal(stream[at..(at + blockSize)], input[(r * blockSize)..((r + 1) * blockSize)]);
                    Assert.Equal(stream[(at + 1)..(at + blockSize + 1)], target[(r * blockSize)..((r + 1) * blockSize)]);
                }
                Assert.Equal(batch.Rows * blockSize, batch.RealTokens);
                seen.AddRange(batch.Examples);
            }
        var expected = dropLast ? windows / batchSize * batchSize : windows;
        Assert.Equal(expected, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        if (!dropLast) Assert.Equal(Enumerable.Range(0, windows).Select(i => (long)i), seen.Order());
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(8, 3)]
    [InlineData(13, 1)]
    [InlineData(32, 10)]
    public void Strided_evaluation_scores_every_target_once_with_the_promised_context(int blockSize, int stride)
    {
        const long ignore = -7;
        var stream = Stream();
        var batches = new LanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = blockSize, BatchSize = 3, Stride = stride }, ignoreIndex: ignore);
        var scoredAt = new List<long>();                    // absolute stream index of every scored target
        long? previousStart = null;
        foreach (var batch in batches.ReadEpoch(0))
            using (batch)
            {
                long[] input = batch.Input.data<long>().ToArray(), target = batch.Target.data<long>().ToArray();
                var scored = 0;
                for (var r = 0; r < batch.Rows; r++)
                {
                    var start = batches.Batcher.Start(batch.Examples[r]);
                    Assert.True(previousStart is null || start > previousStart, "evaluation windows come in stream order");
                    previousStart = start;
                    Assert.Equal(stream[(int)start..(int)(start + blockSize)], input[(r * blockSize)..((r + 1) * blockSize)]);
                    for (var p = 0; p < blockSize; p++)
                    {
                        var t = target[r * blockSize + p];
                        if (t == ignore) continue;
                        Assert.Equal(stream[start + p + 1], t);
                        // Context = tokens before the target inside the window: p + 1 ≥ block − stride after the first window.
                        if (start > 0) Assert.True(p + 1 >= blockSize - stride, $"target at {start + p + 1} has only {p + 1} tokens of context");
                        scoredAt.Add(start + p + 1);
                        scored++;
                    }
                }
                Assert.Equal(scored, batch.RealTokens);
            }
        Assert.Equal(Enumerable.Range(1, stream.Length - 1).Select(i => (long)i), scoredAt); // every target once, in order
    }

    [Fact]
    public void Random_offsets_cut_each_epoch_differently_and_stay_resumable()
    {
        var stream = Stream();
        var options = new WindowOptions { BlockSize = 8, BatchSize = 4, Seed = 2, RandomOffset = true };
        var batches = new LanguageModelBatchStream(data, "train", options);
        var offsets = Enumerable.Range(0, 20).Select(e => batches.Batcher.Offset(e)).ToArray();
        Assert.All(offsets, o => Assert.InRange(o, 0, 7));
        Assert.True(offsets.Distinct().Count() >= 4, "offsets vary between epochs");
        foreach (var epoch in new long[] { 0, 3 })
        {
            var starts = new List<long>();
            foreach (var batch in batches.ReadEpoch(epoch))
                using (batch)
                {
                    var input = batch.Input.data<long>().ToArray();
                    for (var r = 0; r < batch.Rows; r++)
                    {
                        var start = batches.Batcher.Start(batch.Examples[r], epoch);
                        Assert.Equal(stream[(int)start..(int)(start + 8)], input[(r * 8)..((r + 1) * 8)]);
                        starts.Add(start);
                    }
                }
            var offset = batches.Batcher.Offset(epoch);
            Assert.Equal(Enumerable.Range(0, (int)((stream.Length - 1 - offset) / 8)).Select(k => offset + 8L * k), starts.Order());
        }
        // Resuming in the middle of an epoch yields the batches an uninterrupted pass yields from there.
        var whole = batches.ReadEpoch(3).Skip(2).Select(b => { using (b) return b.Input.data<long>().ToArray(); }).ToArray();
        var resumed = new LanguageModelBatchStream(data, "train", options).Read(new DataCursor(3, 2)).Take(whole.Length)
            .Select(b => { using (b) return b.Input.data<long>().ToArray(); }).ToArray();
        Assert.Equal(whole, resumed);
    }

    [Fact]
    public void The_order_depends_on_seed_and_epoch_only()
    {
        var options = new WindowOptions { BlockSize = 8, BatchSize = 4, Seed = 2 };
        var a = new LanguageModelBatchStream(data, "train", options);
        var b = new LanguageModelBatchStream(data, "train", options);
        Assert.Equal(a.Plan(5), b.Plan(5));
        Assert.NotEqual(a.Plan(5), a.Plan(6));
        Assert.NotEqual(a.Plan(5), new LanguageModelBatchStream(data, "train", options with { Seed = 3 }).Plan(5));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(61)]
    public void A_resumed_stream_yields_the_remaining_batches_of_the_uninterrupted_one(int done)
    {
        var options = new WindowOptions { BlockSize = 16, BatchSize = 3, Seed = 6 };
        var all = new LanguageModelBatchStream(data, "train", options).Read(DataCursor.Start).Take(80)
            .Select(b => { using (b) return (b.Examples, b.Input.data<long>().ToArray(), b.Next); }).ToList();
        var cursor = DataCursor.FromJson(all[done - 1].Next.ToJson());
        var resumed = new LanguageModelBatchStream(data, "train", options).Read(cursor).Take(80 - done)
            .Select(b => { using (b) return (b.Examples, b.Input.data<long>().ToArray(), b.Next); }).ToList();
        Assert.Equal(all.Skip(done), resumed);
        Assert.True(all[^1].Next.Epoch >= 2, "the test should cross epoch boundaries");
    }

    [Fact]
    public void A_stream_shorter_than_one_window_is_an_error()
    {
        var e = Assert.Throws<DataFormatException>(() => new LanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = 100_000 }));
        Assert.Equal($"the train split: {Stream().Length} tokens — expected at least block_size + 1 = 100001 tokens for one window", e.Message);
    }
}
