// Prepare: shards round-trip exactly (uint16 and uint32), meta.json says what is on disk, an unchanged input
// is not prepared again, a changed one is, splits follow the seed, and the output never depends on threads.
using System.Security.Cryptography;
using System.Text.Json;
using Transformer.Data;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Tests;

public sealed class DataPrepareTests : IDisposable
{
    private static readonly string[] Documents = ["the cat sat", "on the mat", "x", "a longer document with more characters", "é – ü"];
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    public static TheoryData<int, int, TokenDtype> Vocabularies => new()
    {
        { 1000, 0, TokenDtype.UInt16 },
        { 65_536, 65_000, TokenDtype.UInt16 },
        { 100_000, 70_000, TokenDtype.UInt32 },
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Language_model_shards_round_trip_exactly(int vocabSize, int offset, TokenDtype dtype)
    {
        var encoder = new CharEncoder(vocabSize, offset);
        var result = PrepareText(encoder, string.Join("\n", Documents) + "\n");
        Assert.Equal(dtype, result.Meta.TokenDtype);
        using var data = PreparedDataset.Open(result.Directory, encoder.Hash, ShardVerification.Full);
        var train = data.Split("train");
        Assert.Equal(Documents.Length, train.Count);
        for (var i = 0; i < Documents.Length; i++)
            Assert.Equal([.. encoder.Ids(Documents[i]), 2L], train.ReadSegment(i));
        var tokens = Documents.Sum(d => d.Length + 1);
        Assert.Equal(tokens, train.TokenCount);
        Assert.Equal(tokens * (dtype == TokenDtype.UInt16 ? 2 : 4), new FileInfo(Path.Combine(result.Directory, "train.tokens.bin")).Length);
        if (offset > 0) Assert.Contains(train.ReadSegment(0), id => id > 65_000);
    }

    [Fact]
    public void Pair_shards_hold_source_then_target_per_example_from_the_chosen_columns()
    {
        var encoder = new CharEncoder();
        var path = temp.File("pairs.tsv", "ignored\tciao\thello\nx\tmondo\tworld\n");
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("out"),
            Source = new SourceOptions { Kind = SourceKind.Pairs, SourceColumn = 2, TargetColumn = 1 },
            Train = [path],
        }, encoder);
        Assert.Equal(DatasetKind.Seq2Seq, result.Meta.Kind);
        Assert.Equal(2, result.Meta.SegmentsPerExample);
        using var data = PreparedDataset.Open(result.Directory, verification: ShardVerification.Full);
        var train = data.Split("train");
        Assert.Equal(encoder.Ids("hello"), train.ReadSegment(0, 0));
        Assert.Equal(encoder.Ids("ciao"), train.ReadSegment(0, 1));
        Assert.Equal(encoder.Ids("world"), train.ReadSegment(1, 0));
        Assert.Equal(encoder.Ids("mondo"), train.ReadSegment(1, 1));
        Assert.Equal([5, 5], train.Lengths(0));
        Assert.Equal([4, 5], train.Lengths(1));
    }

    [Fact]
    public void Meta_json_records_the_format_tokenizer_splits_shards_and_sources()
    {
        var encoder = new CharEncoder();
        var result = PrepareText(encoder, "ab\ncde\n");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.Directory, "meta.json")));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("language_model", root.GetProperty("kind").GetString());
        Assert.Equal(encoder.Hash, root.GetProperty("tokenizer_hash").GetString());
        Assert.Equal(1000, root.GetProperty("vocab_size").GetInt32());
        Assert.Equal("uint16", root.GetProperty("token_dtype").GetString());
        Assert.Equal(2, root.GetProperty("eos_id").GetInt32());
        Assert.True(root.GetProperty("documents_end_with_eos").GetBoolean());
        Assert.Equal("text", root.GetProperty("settings").GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(0, root.GetProperty("skipped").GetProperty("total").GetInt64());

        var train = root.GetProperty("splits").GetProperty("train");
        Assert.Equal(2, train.GetProperty("examples").GetInt64());
        Assert.Equal(7, train.GetProperty("tokens").GetInt64());          // "ab" + EOS, "cde" + EOS
        Assert.Equal(4, train.GetProperty("max_length").GetInt32());
        var files = train.GetProperty("files").EnumerateArray().ToArray();
        Assert.Equal(["tokens", "offsets"], files.Select(f => f.GetProperty("role").GetString()));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(result.Directory, file.GetProperty("file").GetString()!));
            Assert.Equal(bytes.Length, file.GetProperty("bytes").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        }
        Assert.Equal(new long[] { 0, 3, 7 }, Longs(File.ReadAllBytes(Path.Combine(result.Directory, "train.offsets.bin"))));

        var source = root.GetProperty("sources")[0];
        var sourceBytes = File.ReadAllBytes(source.GetProperty("path").GetString()!);
        Assert.Equal("train", source.GetProperty("split").GetString());
        Assert.Equal(sourceBytes.Length, source.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sourceBytes)), source.GetProperty("sha256").GetString());
    }

    [Fact]
    public void Preparing_unchanged_inputs_again_does_no_work_and_says_so()
    {
        var encoder = new CharEncoder();
        var first = PrepareText(encoder, "one\ntwo\n");
        var shard = Path.Combine(first.Directory, "train.tokens.bin");
        var written = File.GetLastWriteTimeUtc(shard);
        var messages = new List<string>();
        var second = PrepareText(encoder, "one\ntwo\n", report: messages.Add);
        Assert.True(second.UpToDate);
        Assert.Contains("up to date", second.Message);
        Assert.Equal([second.Message], messages);
        Assert.Equal(first.Meta.Fingerprint, second.Meta.Fingerprint);
        Assert.Equal(written, File.GetLastWriteTimeUtc(shard));
    }

    [Theory]
    [InlineData("source", "the source files changed")]
    [InlineData("tokenizer", "the tokenizer changed: chars:1000:0:True:True:True → chars:1000:7:True:True:True")]
    [InlineData("settings", "the settings changed")]
    public void A_changed_source_tokenizer_or_setting_rebuilds(string change, string why)
    {
        var options = TextOptions(temp.File("doc.txt", "one\ntwo\n"));
        DatasetPreparer.Prepare(options, new CharEncoder());
        if (change == "source") File.AppendAllText(options.Train[0], "three\n");
        if (change == "settings") options = options with { Source = options.Source with { MaxLineChars = 999 } };
        var encoder = change == "tokenizer" ? new CharEncoder(offset: 7) : new CharEncoder();
        var messages = new List<string>();
        var again = DatasetPreparer.Prepare(options, encoder, messages.Add);
        Assert.False(again.UpToDate);
        Assert.Contains(why, messages[0]);
        using var data = PreparedDataset.Open(again.Directory, encoder.Hash);
        var train = data.Split("train");
        Assert.Equal(change == "source" ? 3 : 2, train.Count);
        Assert.Equal([.. encoder.Ids("one"), 2L], train.ReadSegment(0));
    }

    [Fact]
    public void A_truncated_shard_is_prepared_again()
    {
        var encoder = new CharEncoder();
        var first = PrepareText(encoder, "one\ntwo\n");
        var shard = Path.Combine(first.Directory, "train.tokens.bin");
        File.WriteAllBytes(shard, File.ReadAllBytes(shard)[..^2]);
        var again = PrepareText(encoder, "one\ntwo\n");
        Assert.False(again.UpToDate);
        using var data = PreparedDataset.Open(again.Directory, verification: ShardVerification.Full);
    }

    [Fact]
    public void A_failed_prepare_leaves_the_previous_output_whole_and_no_temporary_directory()
    {
        var encoder = new CharEncoder();
        var first = PrepareText(encoder, "one\ntwo\n");
        var meta = File.ReadAllText(Path.Combine(first.Directory, "meta.json"));
        Assert.Throws<DataFormatException>(() => PrepareText(encoder, "one\nbad <FF>\n"));
        Assert.Equal(meta, File.ReadAllText(Path.Combine(first.Directory, "meta.json")));
        Assert.Equal(["out"], Directory.GetDirectories(temp.Path).Select(Path.GetFileName));
        using var data = PreparedDataset.Open(first.Directory, verification: ShardVerification.Full);
    }

    [Fact]
    public void A_non_empty_directory_that_is_not_a_dataset_is_never_replaced()
    {
        Directory.CreateDirectory(temp.Combine("out"));
        File.WriteAllText(temp.Combine("out", "notes.txt"), "mine");
        var e = Assert.Throws<DataFormatException>(() => PrepareText(new CharEncoder(), "one\n"));
        Assert.Contains("refusing to replace it", e.Message);
        Assert.True(File.Exists(temp.Combine("out", "notes.txt")));
    }

    [Theory]
    [InlineData(0.1, 0.2, 100, 10, 20)]
    [InlineData(0.25, 0.0, 7, 2, 0)]
    [InlineData(0.0, 0.5, 3, 0, 2)]
    public void Unsplit_sources_are_split_by_fraction_and_seed_with_every_example_once(double valid, double test, int n, int validCount, int testCount)
    {
        var encoder = new CharEncoder();
        var lines = Enumerable.Range(0, n).Select(i => $"doc {i}").ToArray();
        var path = temp.File("all.txt", string.Join("\n", lines));
        var options = TextOptions(path) with { ValidFraction = valid, TestFraction = test, SplitSeed = 42 };
        var result = DatasetPreparer.Prepare(options, encoder);
        Assert.Equal(validCount, result.Meta.Splits.GetValueOrDefault("valid")?.Examples ?? 0);
        Assert.Equal(testCount, result.Meta.Splits.GetValueOrDefault("test")?.Examples ?? 0);
        var texts = ReadAll(result.Directory, encoder);
        Assert.Equal(lines.Order(), texts.Values.SelectMany(t => t).Order());
        Assert.Equal(texts["train"].OrderBy(t => int.Parse(t[4..])), texts["train"]);   // original order kept within a split

        var same = DatasetPreparer.Prepare(options with { OutputDirectory = temp.Combine("same") }, encoder);
        Assert.Equal(texts, ReadAll(same.Directory, encoder));
        if (validCount + testCount > 1)
        {
            var other = DatasetPreparer.Prepare(options with { OutputDirectory = temp.Combine("other"), SplitSeed = 43 }, encoder);
            Assert.NotEqual(texts["train"], ReadAll(other.Directory, encoder)["train"]);
        }
    }

    [Fact]
    public void Labels_follow_their_examples_into_the_splits()
    {
        var encoder = new CharEncoder();
        var lines = Enumerable.Range(0, 40).Select(i => $"{(i % 3 == 0 ? "fizz" : "plain")}\tline {i}").ToArray();
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("out"),
            Source = new SourceOptions { Kind = SourceKind.LabeledTsv },
            Train = [temp.File("all.tsv", string.Join("\n", lines))],
            ValidFraction = 0.3,
            SplitSeed = 5,
        }, encoder);
        Assert.Equal(["fizz", "plain"], result.Meta.Labels);
        using var data = PreparedDataset.Open(result.Directory, verification: ShardVerification.Full);
        foreach (var split in data.Splits.Values)
            for (var i = 0; i < split.Count; i++)
            {
                var number = int.Parse(encoder.Decode(split.ReadSegment(i))[5..]);
                Assert.Equal(number % 3 == 0 ? 0 : 1, split.Label(i));
            }
    }

    [Fact]
    public void The_shards_do_not_depend_on_parallelism_or_chunk_size()
    {
        var encoder = new CharEncoder();
        var path = temp.File("many.tsv", string.Join("\n", Enumerable.Range(0, 500).Select(i => $"source {i}\ttarget {i * 7}")));
        var options = new PrepareOptions { OutputDirectory = temp.Combine("serial"), Source = new SourceOptions { Kind = SourceKind.Pairs }, Train = [path], ValidFraction = 0.1 };
        var serial = DatasetPreparer.Prepare(options with { Parallelism = 1, EncodeChunk = 1 }, encoder);
        var parallel = DatasetPreparer.Prepare(options with { OutputDirectory = temp.Combine("parallel"), Parallelism = 4, EncodeChunk = 7 }, encoder);
        Assert.Equal(Hashes(serial.Meta), Hashes(parallel.Meta));
        Assert.Equal(serial.Meta.Fingerprint, parallel.Meta.Fingerprint);

        static string[] Hashes(DatasetMeta meta) => meta.Splits.Values.SelectMany(s => s.Files).Select(f => f.Sha256).ToArray();
    }

    [Fact]
    public void An_encoder_id_outside_the_vocabulary_is_an_error_naming_the_line()
    {
        var path = temp.File("doc.txt", "ok\n\u4e00\n");
        var e = Assert.Throws<InvalidOperationException>(() => DatasetPreparer.Prepare(TextOptions(path), new OverflowEncoder()));
        Assert.Equal($"{path}:2: the encoder returned token id 60000, outside its vocabulary of 60000", e.Message);
    }

    private sealed class OverflowEncoder : ITextEncoder
    {
        public int VocabSize => 60_000;
        public string Hash => "overflow";
        public int? PadId => 0;
        public int? BosId => 1;
        public int? EosId => 2;
        public int[] Encode(string text) => text.Select(c => c > 1000 ? VocabSize : 3 + c).ToArray();
        public IReadOnlyList<int[]> EncodeBatch(IReadOnlyList<string> texts) => texts.Select(Encode).ToArray();
    }

    private PrepareResult PrepareText(CharEncoder encoder, string content, Action<string>? report = null) =>
        DatasetPreparer.Prepare(TextOptions(temp.File("doc.txt", content)), encoder, report);

    private PrepareOptions TextOptions(string path) =>
        new() { OutputDirectory = temp.Combine("out"), Source = new SourceOptions { Kind = SourceKind.Text }, Train = [path] };

    private static Dictionary<string, string[]> ReadAll(string directory, CharEncoder encoder)
    {
        using var data = PreparedDataset.Open(directory, verification: ShardVerification.Full);
        return data.Splits.ToDictionary(s => s.Key, s => Enumerable.Range(0, (int)s.Value.Count)
            .Select(i => encoder.Decode(s.Value.ReadSegment(i).SkipLast(1))).ToArray());
    }

    private static long[] Longs(byte[] bytes) => Enumerable.Range(0, bytes.Length / 8).Select(i => BitConverter.ToInt64(bytes, i * 8)).ToArray();
}
