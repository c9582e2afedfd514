// BERT's masking (MlmMasking) and the masked-language-model batches built with it: 15% of the ordinary tokens chosen,
// 80/10/10 mask/random/keep, never padding or special tokens, random replacements never special; the same batch from
// the same cursor every time (so a resumed run masks as an uninterrupted one), other masks at other cursors; every
// token of an evaluation split a candidate exactly once. Statistics are checked within 4.5 binomial standard deviations.
using Transformer.Data;
using Transformer.Data.Batching;
using Transformer.Data.Shards;
using Transformer.Data.Sources;
using Xunit.Abstractions;

namespace Transformer.Tests;

public sealed class MlmMaskingTests(ITestOutputHelper output) : IDisposable
{
    private const long Pad = 0, Bos = 1, Eos = 2, Unk = 3, Mask = 4;
    private const int Vocabulary = 1000;
    private static readonly long[] Specials = [Pad, Bos, Eos, Unk];

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static MlmMasking Masking(double probability = 0.15, long seed = 3, int vocabulary = Vocabulary, long mask = Mask) =>
        new(new MlmMaskingOptions { MaskId = mask, VocabSize = vocabulary, SpecialIds = Specials, Probability = probability, Seed = seed });

    private static bool IsSpecial(long id) => id is Pad or Bos or Eos or Unk or Mask;

    [Fact]
    public void Fifteen_percent_of_ordinary_tokens_are_chosen_and_split_80_10_10_never_padding_or_specials()
    {
        var masking = Masking();
        var data = new SplitMix64(99);
        long candidates = 0, chosen = 0, masked = 0, kept = 0, replaced = 0, specialsSeen = 0;
        const int rows = 420, width = 300;
        for (var r = 0; r < rows; r++)
        {
            // [BOS] text with EOS and UNK scattered through it, then padding (a random amount).
            var length = width - (int)data.NextBelow(40);
            var original = new long[width];
            original[0] = Bos;
            for (var i = 1; i < length; i++)
            {
                var roll = data.NextBelow(100);
                original[i] = roll == 0 ? Eos : roll == 1 ? Unk : 5 + (long)data.NextBelow(Vocabulary - 5);
            }
            var tokens = (long[])original.Clone();                                     // the tail stays Pad (0)
            var labels = new long[width];
            var count = masking.Apply(tokens, labels, masking.Random(new DataCursor(0, r / 8), r % 8));
            Assert.Equal(labels.Count(l => l != MlmMasking.IgnoreIndex), count);
            for (var i = 0; i < width; i++)
            {
                if (IsSpecial(original[i]))
                {
                    specialsSeen++;
                    Assert.Equal(MlmMasking.IgnoreIndex, labels[i]);                    // never chosen
                    Assert.Equal(original[i], tokens[i]);                               // never changed
                    continue;
                }
                candidates++;
                if (labels[i] == MlmMasking.IgnoreIndex)
                {
                    Assert.Equal(original[i], tokens[i]);                               // not chosen: untouched
                    continue;
                }
                chosen++;
                Assert.Equal(original[i], labels[i]);                                   // the label is the original token
                if (tokens[i] == Mask) masked++;
                else if (tokens[i] == original[i]) kept++;
                else
                {
                    replaced++;
                    Assert.False(IsSpecial(tokens[i]), $"random replacement {tokens[i]} is a special token");
                    Assert.InRange(tokens[i], 0, Vocabulary - 1);
                }
            }
        }
        output.WriteLine($"{candidates:N0} candidates, {specialsSeen:N0} special/padding positions: chosen {(double)chosen / candidates:P3}; "
            + $"of the chosen {(double)masked / chosen:P2} mask, {(double)replaced / chosen:P2} random, {(double)kept / chosen:P2} kept");
        Assert.True(candidates >= 100_000, $"{candidates} candidate tokens");
        Assert.True(specialsSeen > 10_000, $"{specialsSeen} special and padding positions");
        Within("chosen rate", chosen, candidates, 0.15);
        // A random replacement equals the original with chance 1/R (R non-special ids), as in BERT: it then reads as kept.
        var r1 = 1.0 / (Vocabulary - 5);
        Within("masked share", masked, chosen, 0.8);
        Within("random share", replaced, chosen, 0.1 * (1 - r1));
        Within("kept share", kept, chosen, 0.1 + 0.1 * r1);
    }

    private static void Within(string what, long hits, long trials, double p)
    {
        var rate = (double)hits / trials;
        var sigma = Math.Sqrt(p * (1 - p) / trials);
        Assert.True(Math.Abs(rate - p) <= 4.5 * sigma, $"{what}: {rate:F5} over {trials} trials, expected {p:F5} ± {4.5 * sigma:F5}");
    }

    [Fact]
    public void The_draws_are_a_function_of_seed_cursor_and_row_alone()
    {
        var masking = Masking(seed: 5);
        var row = Enumerable.Range(0, 400).Select(i => 5L + i % 900).ToArray();
        long[] Masked(MlmMasking m, DataCursor at, int r)
        {
            var tokens = (long[])row.Clone();
            m.Apply(tokens, new long[tokens.Length], m.Random(at, r));
            return tokens;
        }
        Assert.Equal(Masked(masking, new DataCursor(2, 7), 1), Masked(Masking(seed: 5), new DataCursor(2, 7), 1));
        Assert.NotEqual(Masked(masking, new DataCursor(2, 7), 1), Masked(masking, new DataCursor(2, 8), 1));
        Assert.NotEqual(Masked(masking, new DataCursor(2, 7), 1), Masked(masking, new DataCursor(3, 7), 1));
        Assert.NotEqual(Masked(masking, new DataCursor(2, 7), 1), Masked(masking, new DataCursor(2, 7), 2));
        Assert.NotEqual(Masked(masking, new DataCursor(2, 7), 1), Masked(Masking(seed: 6), new DataCursor(2, 7), 1));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Masking(probability: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Masking(probability: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Masking(mask: Vocabulary));
        Assert.Throws<ArgumentException>(() => Masking(vocabulary: 5));                 // every id special
    }

    // ---- batches of a prepared text split ----

    private static readonly string[] Documents = Enumerable.Range(0, 60).Select(i => $"document {i} reads {new string('q', i % 7)} and ends").ToArray();

    private (PreparedDataset data, long[] stream) Prepared()
    {
        var encoder = new CharEncoder();                                                 // pad 0, bos 1, eos 2, chars 3…999
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("mlm"),
            Source = new SourceOptions { Kind = SourceKind.Text },
            Train = [temp.File("docs.txt", string.Join("\n", Documents))],
        }, encoder);
        return (PreparedDataset.Open(result.Directory), Documents.SelectMany(d => encoder.Ids(d).Append(Eos)).ToArray());
    }

    /// <summary>Masking of a CharEncoder vocabulary with the mask token added after it (id 1000), as a tokenizer adds it.</summary>
    private static MlmMasking CharMasking(double probability = 0.15, long seed = 4) =>
        new(new MlmMaskingOptions { MaskId = 1000, VocabSize = 1001, SpecialIds = [Pad, Bos, Eos], Probability = probability, Seed = seed });

    [Fact]
    public void Rows_are_bos_and_a_window_of_the_stream_masked_with_labels_at_the_chosen_positions()
    {
        var (data, stream) = Prepared();
        using var _ = data;
        const int block = 15;
        var batches = new MaskedLanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = block, BatchSize = 4, Seed = 2 }, CharMasking());
        Assert.Equal(block + 1, batches.RowLength);
        long chosen = 0, candidates = 0;
        foreach (var batch in batches.ReadEpoch(0))
            using (batch)
            {
                Assert.Equal([batch.Rows, block + 1], batch.Input.shape);
                long[] input = batch.Input.data<long>().ToArray(), labels = batch.Labels.data<long>().ToArray();
                Assert.Equal(labels.Count(l => l != MlmMasking.IgnoreIndex), batch.Chosen);
                Assert.Equal(batch.Rows * (block + 1), batch.RealTokens);
                for (var r = 0; r < batch.Rows; r++)
                {
                    var start = (int)batch.Examples[r] * block;
                    Assert.Equal(Bos, input[r * (block + 1)]);
                    for (var i = 0; i < block; i++)
                    {
                        var (token, label, original) = (input[r * (block + 1) + 1 + i], labels[r * (block + 1) + 1 + i], stream[start + i]);
                        if (original != Eos) candidates++;
                        if (label == MlmMasking.IgnoreIndex) Assert.Equal(original, token);
                        else
                        {
                            chosen++;
                            Assert.Equal(original, label);
                        }
                    }
                }
            }
        Assert.InRange((double)chosen / candidates, 0.10, 0.20);                        // ~2,000 candidates
    }

    [Fact]
    public void A_stream_read_from_a_cursor_masks_exactly_as_the_uninterrupted_one_and_other_epochs_mask_otherwise()
    {
        var (data, _) = Prepared();
        using var _ = data;
        var options = new WindowOptions { BlockSize = 12, BatchSize = 3, Seed = 2 };
        MaskedLanguageModelBatchStream Stream() => new(data, "train", options, CharMasking());
        const int total = 100;
        var uninterrupted = Stream().Read(DataCursor.Start).Take(total).Select(Snapshot).ToList();
        var resumed = Stream().Read(new DataCursor(1, 2)).Take(total - 2 - Stream().BatchesInEpoch(0)).Select(Snapshot).ToList();
        Assert.True(resumed.Count > 10);
        Assert.Equal(uninterrupted.Skip(total - resumed.Count).ToList(), resumed);
        Assert.Equal(uninterrupted, Stream().Read(DataCursor.Start).Take(total).Select(Snapshot).ToList());

        // The same window in epochs 0 and 1 (shuffled into other batches) is masked differently.
        var epochs = Enumerable.Range(0, 2).Select(e => Stream().ReadEpoch(e).SelectMany(b =>
        {
            using (b)
            {
                var labels = b.Labels.data<long>().ToArray();
                var width = labels.Length / b.Rows;
                return b.Examples.Select((w, r) => (w, labels: labels[(r * width)..((r + 1) * width)])).ToList();
            }
        }).ToDictionary(x => x.w, x => x.labels)).ToArray();
        var differing = epochs[0].Keys.Count(w => !epochs[0][w].SequenceEqual(epochs[1][w]));
        Assert.True(differing > epochs[0].Count / 2, $"{differing} of {epochs[0].Count} windows masked differently in epoch 1");
    }

    /// <summary>A batch as text, so that batches compare by value.</summary>
    private static string Snapshot(MaskedLanguageModelBatch batch)
    {
        using (batch)
            return $"{batch.At} [{string.Join(",", batch.Examples)}] {string.Join(",", batch.Input.data<long>().ToArray())} | "
                + string.Join(",", batch.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Evaluation_windows_make_every_token_of_the_split_a_candidate_exactly_once()
    {
        var (data, stream) = Prepared();
        using var _ = data;
        const int block = 16, stride = 10;
        // Nearly every candidate is chosen, so the chosen positions show which tokens were candidates.
        var batches = new MaskedLanguageModelBatchStream(data, "train", new WindowOptions { BlockSize = block, BatchSize = 5, Stride = stride },
            CharMasking(probability: 1 - 1e-12));
        var times = new int[stream.Length];
        foreach (var batch in batches.ReadEpoch(0))
            using (batch)
            {
                var labels = batch.Labels.data<long>().ToArray();
                for (var r = 0; r < batch.Rows; r++)
                {
                    var start = batches.Batcher.Start(batch.Examples[r]);
                    for (var i = 0; i < block; i++)
                        if (labels[r * (block + 1) + 1 + i] != MlmMasking.IgnoreIndex) times[start + i]++;
                }
            }
        // The windows read block + 1 tokens for a language model's shifted target; an MLM row uses the first block.
        for (var t = 0; t < stream.Length - 1; t++) Assert.Equal(stream[t] == Eos ? 0 : 1, times[t]);
    }
}
