// Seq2seq and classification batch streams: tensors hold exactly the shard's tokens with the documented
// BOS/EOS and padding, masks mark padding, and a stream resumed from a saved cursor yields the same batches
// an uninterrupted one does.
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Tests;

public sealed class DataBatchStreamTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private (string Directory, string[] Sources, string[] Targets) PreparePairs(CharEncoder encoder, int n = 60)
    {
        var random = new SplitMix64(9);
        string Word(int i) => new string((char)('a' + i % 26), 1 + (int)random.NextBelow(12));
        var sources = Enumerable.Range(0, n).Select(Word).ToArray();
        var targets = Enumerable.Range(0, n).Select(i => Word(i + 1)).ToArray();
        var path = temp.File("pairs.tsv", string.Join("\n", sources.Zip(targets, (s, t) => $"{s}\t{t}")));
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("pairs-" + encoder.Hash.Replace(':', '-')),
            Source = new SourceOptions { Kind = SourceKind.Pairs },
            Train = [path],
        }, encoder);
        return (result.Directory, sources, targets);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Seq2seq_batches_hold_source_with_eos_and_targets_shifted_around_bos_and_eos(bool withBos, bool sourceEos)
    {
        var encoder = new CharEncoder(withBos: withBos);
        var (directory, sources, targets) = PreparePairs(encoder);
        using var data = PreparedDataset.Open(directory, encoder.Hash);
        var stream = new Seq2SeqBatchStream(data, "train", new TokenBudgetOptions { MaxTokens = 64, Seed = 1 }, appendSourceEos: sourceEos);
        var start = withBos ? 1L : 2L;
        var seen = 0;
        foreach (var batch in stream.ReadEpoch(0))
            using (batch)
            {
                var (rows, s) = (batch.Rows, (int)batch.Source.size(1));
                var t = (int)batch.TargetInput.size(1);
                Assert.True(rows * (s + t) <= 64);
                long[] source = batch.Source.data<long>().ToArray(), input = batch.TargetInput.data<long>().ToArray(), output = batch.TargetOutput.data<long>().ToArray();
                bool[] sourcePad = batch.SourcePadding.data<bool>().ToArray(), targetPad = batch.TargetPadding.data<bool>().ToArray();
                long targetTokens = 0;
                for (var r = 0; r < rows; r++)
                {
                    var e = batch.Examples[r];
                    long[] src = [.. encoder.Ids(sources[e]), .. (sourceEos ? new[] { 2L } : [])], tgt = encoder.Ids(targets[e]);
                    Assert.Equal(Padded(src, s), source.AsSpan(r * s, s).ToArray());
                    Assert.Equal(Padded([start, .. tgt], t), input.AsSpan(r * t, t).ToArray());
                    Assert.Equal(Padded([.. tgt, 2L], t), output.AsSpan(r * t, t).ToArray());
                    Assert.Equal(Mask(src.Length, s), sourcePad.AsSpan(r * s, s).ToArray());
                    Assert.Equal(Mask(tgt.Length + 1, t), targetPad.AsSpan(r * t, t).ToArray());
                    targetTokens += tgt.Length + 1;
                }
                Assert.Equal(targetTokens, batch.RealTokens);
                seen += rows;
            }
        Assert.Equal(sources.Length, seen);
    }

    /// <summary>Prepares `label<TAB>text` lines as a classification dataset named <paramref name="name"/>.</summary>
    private PreparedDataset PrepareLabeled(string name, string[] lines, CharEncoder encoder)
    {
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine(name),
            Source = new SourceOptions { Kind = SourceKind.LabeledTsv },
            Train = [temp.File(name + ".tsv", string.Join("\n", lines))],
        }, encoder);
        return PreparedDataset.Open(result.Directory);
    }

    [Fact]
    public void Classification_texts_longer_than_the_cap_are_cut_to_their_first_tokens()
    {
        var encoder = new CharEncoder();
        var lines = Enumerable.Range(0, 10).Select(i => $"{(i % 2 == 0 ? "even" : "odd")}\t{new string('q', 2 + i)}").ToArray();
        using var data = PrepareLabeled("cut", lines, encoder);
        var stream = new ClassificationBatchStream(data, "train", new TokenBudgetOptions { MaxTokens = 12, MaxLength = 6 }, truncateTo: 6);
        var seen = 0;
        foreach (var batch in stream.ReadEpoch(0))
            using (batch)
            {
                var width = (int)batch.Tokens.size(1);
                Assert.True(width <= 6);
                var tokens = batch.Tokens.data<long>().ToArray();
                for (var r = 0; r < batch.Rows; r++)
                {
                    var text = lines[(int)batch.Examples[r]].Split('\t')[1];
                    long[] expected = [1L, .. encoder.Ids(text).Take(5)];                    // BOS + the first 5 tokens
                    Assert.Equal(Padded(expected, width), tokens.AsSpan(r * width, width).ToArray());
                }
                seen += batch.Rows;
            }
        Assert.Equal(10, seen);                                                             // nothing refused or skipped
    }

    [Fact]
    public void Classification_batches_hold_bos_then_the_text_and_the_label_ids()
    {
        var encoder = new CharEncoder();
        var lines = Enumerable.Range(0, 30).Select(i => $"{(i % 2 == 0 ? "even" : "odd")}\t{new string('q', 1 + i % 7)} {i}").ToArray();
        using var data = PrepareLabeled("cls", lines, encoder);
        var stream = new ClassificationBatchStream(data, "train", new TokenBudgetOptions { MaxTokens = 40 });
        var seen = new List<long>();
        foreach (var batch in stream.ReadEpoch(0))
            using (batch)
            {
                var width = (int)batch.Tokens.size(1);
                Assert.True(batch.Rows * width <= 40);
                var tokens = batch.Tokens.data<long>().ToArray();
                var labels = batch.Labels.data<long>().ToArray();
                for (var r = 0; r < batch.Rows; r++)
                {
                    var e = (int)batch.Examples[r];
                    var text = lines[e].Split('\t')[1];
                    Assert.Equal(Padded([1L, .. encoder.Ids(text)], width), tokens.AsSpan(r * width, width).ToArray());
                    Assert.Equal(e % 2 == 0 ? 0 : 1, labels[r]);          // labels sorted: even, odd
                }
                Assert.Equal(batch.Padding.data<bool>().ToArray(), tokens.Select(id => id == 0).ToArray());
                seen.AddRange(batch.Examples);
            }
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), seen.Order());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 5)]
    [InlineData(1, 3)]
    [InlineData(2, 0)]
    public void A_stream_resumed_from_a_saved_cursor_yields_the_batches_the_uninterrupted_one_does(int stopEpoch, int stopPosition)
    {
        var encoder = new CharEncoder();
        var (directory, _, _) = PreparePairs(encoder);
        var options = new TokenBudgetOptions { MaxTokens = 48, ShuffleChunk = 16, Seed = 21 };
        List<(long[], long[], long[], DataCursor)> Take(Seq2SeqBatchStream stream, DataCursor from, int count) =>
            stream.Read(from).Take(count).Select(b => { using (b) return (b.Examples, b.Source.data<long>().ToArray(), b.TargetOutput.data<long>().ToArray(), b.Next); }).ToList();

        using var data = PreparedDataset.Open(directory);
        var uninterrupted = new Seq2SeqBatchStream(data, "train", options);
        var perEpoch = uninterrupted.BatchesInEpoch(0);
        var all = Take(uninterrupted, DataCursor.Start, 3 * perEpoch + 4);

        var done = Enumerable.Range(0, stopEpoch).Sum(e => uninterrupted.BatchesInEpoch(e)) + stopPosition;
        var saved = done == 0 ? DataCursor.Start : all[done - 1].Item4;
        Assert.Equal(new DataCursor(stopEpoch, stopPosition), saved);
        using var reopened = PreparedDataset.Open(directory);
        var resumed = Take(new Seq2SeqBatchStream(reopened, "train", options), DataCursor.FromJson(saved.ToJson()), all.Count - done);
        Assert.Equal(all.Skip(done).Select(b => (b.Item1, b.Item2, b.Item3)), resumed.Select(b => (b.Item1, b.Item2, b.Item3)));
        Assert.Equal(all[^1].Item4, resumed[^1].Item4);
    }

    [Fact]
    public void A_classification_stream_resumes_too_and_epochs_differ_in_order()
    {
        var encoder = new CharEncoder();
        var lines = Enumerable.Range(0, 50).Select(i => $"{i % 3}\t{new string('w', 1 + i % 9)}").ToArray();
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("cls"),
            Source = new SourceOptions { Kind = SourceKind.LabeledTsv },
            Train = [temp.File("cls.tsv", string.Join("\n", lines))],
        }, encoder);
        using var data = PreparedDataset.Open(result.Directory);
        var options = new TokenBudgetOptions { MaxTokens = 30, ShuffleChunk = 10, Seed = 4 };
        var stream = new ClassificationBatchStream(data, "train", options);
        Assert.NotEqual(stream.Plan(0), stream.Plan(1));
        var all = stream.Read(DataCursor.Start).Take(25).Select(b => { using (b) return (b.Examples, b.Labels.data<long>().ToArray(), b.Next); }).ToList();
        var resumed = new ClassificationBatchStream(data, "train", options).Read(all[11].Next).Take(13)
            .Select(b => { using (b) return (b.Examples, b.Labels.data<long>().ToArray(), b.Next); }).ToList();
        Assert.Equal(all.Skip(12), resumed);
    }

    [Fact]
    public void A_cursor_past_the_end_of_its_epoch_is_refused()
    {
        var encoder = new CharEncoder();
        var (directory, _, _) = PreparePairs(encoder, n: 10);
        using var data = PreparedDataset.Open(directory);
        var stream = new Seq2SeqBatchStream(data, "train", new TokenBudgetOptions { MaxTokens = 1000 });
        var count = stream.BatchesInEpoch(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(new DataCursor(0, count + 1)));
        Assert.Contains($"epoch 0 has {count} batches", e.Message);
    }

    [Fact]
    public void A_dataset_of_another_kind_or_without_a_pad_id_is_refused()
    {
        var encoder = new CharEncoder(withPad: false);
        var (directory, _, _) = PreparePairs(encoder, n: 5);
        using var data = PreparedDataset.Open(directory);
        var e = Assert.Throws<DataFormatException>(() => new Seq2SeqBatchStream(data, "train", new TokenBudgetOptions()));
        Assert.EndsWith("meta.json: pad_id (none) — expected a token id to pad seq2seq batches: the tokenizer must define it", e.Message);
        e = Assert.Throws<DataFormatException>(() => new ClassificationBatchStream(data, "train", new TokenBudgetOptions()));
        Assert.EndsWith("meta.json: kind Seq2Seq — expected a Classification dataset for this batch stream", e.Message);
    }

    private static long[] Padded(long[] ids, int width) => [.. ids, .. Enumerable.Repeat(0L, width - ids.Length)];

    private static bool[] Mask(int real, int width) => [.. Enumerable.Repeat(false, real), .. Enumerable.Repeat(true, width - real)];
}
