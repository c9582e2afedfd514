// Opening prepared data: a shard that does not match meta.json, or data from another tokenizer, is refused
// with a message naming the file and what was expected.
using Transformer.Data;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Tests;

public sealed class DataShardTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CharEncoder encoder = new();
    private readonly string directory;

    public DataShardTests()
    {
        var source = temp.File("cls.tsv", "pos\tgood film\nneg\tbad film\npos\tfine\n");
        directory = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("out"),
            Source = new SourceOptions { Kind = SourceKind.LabeledTsv },
            Train = [source],
        }, encoder).Directory;
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("train.tokens.bin")]
    [InlineData("train.offsets.bin")]
    [InlineData("train.labels.bin")]
    public void A_truncated_shard_is_refused_even_without_hashing(string file)
    {
        var path = Path.Combine(directory, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory));
        Assert.Equal($"{path}: {bytes.Length - 1} bytes on disk — expected {bytes.Length} bytes as meta.json records — the shard is truncated; prepare the data again", e.Message);
    }

    [Theory]
    [InlineData("train.tokens.bin")]
    [InlineData("train.offsets.bin")]
    [InlineData("train.labels.bin")]
    public void A_modified_shard_passes_the_size_check_and_fails_full_verification(string file)
    {
        var path = Path.Combine(directory, file);
        var bytes = File.ReadAllBytes(path);
        var expected = FileHash.Sha256(bytes);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        if (file != "train.offsets.bin")          // the last offset is always checked against the token count
            using (PreparedDataset.Open(directory)) { }
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory, verification: ShardVerification.Full));
        Assert.Equal($"{path}: SHA-256 {FileHash.Sha256(bytes)} — expected {expected} as meta.json records — the shard was modified; prepare the data again", e.Message);
    }

    [Fact]
    public void Data_prepared_with_another_tokenizer_is_refused()
    {
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory, tokenizerHash: "bpe:abc"));
        Assert.Equal($"{Path.Combine(directory, "meta.json")}: tokenizer_hash '{encoder.Hash}' — expected the current tokenizer's hash 'bpe:abc' — " +
            "the data was prepared with another tokenizer; prepare it again", e.Message);
        using var data = PreparedDataset.Open(directory, tokenizerHash: encoder.Hash);
    }

    [Fact]
    public void A_missing_shard_or_meta_json_is_refused()
    {
        File.Delete(Path.Combine(directory, "train.labels.bin"));
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory));
        Assert.StartsWith($"{Path.Combine(directory, "train.labels.bin")}: missing — expected the labels shard listed in meta.json", e.Message);
        File.Delete(Path.Combine(directory, "meta.json"));
        e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory));
        Assert.StartsWith($"{Path.Combine(directory, "meta.json")}: no such file", e.Message);
    }

    [Fact]
    public void Meta_json_of_another_format_version_is_refused()
    {
        var meta = Path.Combine(directory, "meta.json");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace("\"format_version\": 1", "\"format_version\": 99"));
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory));
        Assert.Equal($"{meta}: format_version 99 — expected format_version 1; prepare the data again with this version", e.Message);
    }

    [Fact]
    public void A_label_id_outside_the_label_set_fails_full_verification_even_when_meta_json_was_updated_to_match()
    {
        var path = Path.Combine(directory, "train.labels.bin");
        var before = FileHash.Sha256(File.ReadAllBytes(path));
        var labels = File.ReadAllBytes(path);
        labels[0] = 7;
        File.WriteAllBytes(path, labels);
        var meta = Path.Combine(directory, "meta.json");
        File.WriteAllText(meta, File.ReadAllText(meta).Replace(before, FileHash.Sha256(labels)));
        var e = Assert.Throws<DataFormatException>(() => PreparedDataset.Open(directory, verification: ShardVerification.Full));
        Assert.Equal($"{path}: label id 7 for example 0 — expected an id below the 2 labels; prepare the data again", e.Message);
    }

    [Fact]
    public void Shards_are_read_through_memory_maps_that_keep_files_readable_by_others()
    {
        using var data = PreparedDataset.Open(directory, encoder.Hash, ShardVerification.Full);
        var train = data.Split("train");
        Assert.Equal(encoder.Ids("bad film"), train.ReadSegment(1));
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, "train.tokens.bin")).Length, train.TokenCount * 2);
        Assert.Equal(["neg", "pos"], data.Meta.Labels);
        Assert.Equal([1, 0, 1], Enumerable.Range(0, 3).Select(i => train.Label(i)));
        var e = Assert.Throws<KeyNotFoundException>(() => data.Split("valid"));
        Assert.Contains("no 'valid' split (it has train)", e.Message);
    }
}
