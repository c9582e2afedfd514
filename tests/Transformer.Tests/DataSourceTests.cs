// Source readers: every kind of bad input stops with file:line and what was expected, or, with
// on_bad_line: skip, is counted by reason, reported and recorded in meta.json.
using Transformer.Data;
using Transformer.Data.Shards;
using Transformer.Data.Sources;

namespace Transformer.Tests;

public sealed class DataSourceTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CharEncoder encoder = new();

    public void Dispose() => temp.Dispose();

    private static readonly SourceOptions Text = new() { Kind = SourceKind.Text, MaxLineChars = 20 };
    private static readonly SourceOptions Pairs = new() { Kind = SourceKind.Pairs, MaxLineChars = 20 };
    private static readonly SourceOptions Tsv = new() { Kind = SourceKind.LabeledTsv, Labels = ["neg", "pos"] };
    private static readonly SourceOptions Jsonl = new() { Kind = SourceKind.LabeledJsonl, Labels = ["neg", "pos"] };

    public static TheoryData<string, SourceOptions, string, BadLineReason, string> BadInputs => new()
    {
        { "empty file", Text, "", BadLineReason.EmptyFile, "src: an empty file — expected at least one example" },
        { "blank lines only", Text, "\n  \n", BadLineReason.EmptyFile, "src: a file of 2 blank line(s) — expected at least one example" },
        { "invalid UTF-8", Text, "fine\nbad <FF> byte\n", BadLineReason.InvalidUtf8, "src:2: bytes that are not UTF-8 (0xFF) at byte 5 of the line — expected UTF-8 text" },
        { "over-long line", Text, "fine\n123456789012345678901\n", BadLineReason.LineTooLong, "src:2: a line of 21 characters — expected at most 20 characters per line (max_line_chars)" },
        { "no tab", Pairs, "a\tb\nno tab\n", BadLineReason.MissingColumn, "src:2: 1 column (no tab) — expected at least 2 tab-separated columns (source_column 0, target_column 1)" },
        { "missing column", Pairs with { TargetColumn = 2 }, "a\tb\n", BadLineReason.MissingColumn, "src:1: 2 columns — expected at least 3 tab-separated columns (source_column 0, target_column 2)" },
        { "empty target", Pairs, "a\t \n", BadLineReason.EmptyField, "src:1: an empty target — expected a non-empty target" },
        { "unknown label", Tsv, "pos\tgood\nmaybe\tmeh\n", BadLineReason.UnknownLabel, "src:2: label 'maybe' — expected one of data.labels: 'neg', 'pos'" },
        { "bad JSON", Jsonl, "{\"text\": \"x\", \"label\": \"pos\"}\n{bad\n", BadLineReason.InvalidJson, "src:2: invalid JSON (" },
        { "JSON array", Jsonl, "[1, 2]\n", BadLineReason.InvalidJson, "src:1: a JSON array — expected one JSON object per line" },
        { "missing field", Jsonl, "{\"label\": \"pos\"}\n", BadLineReason.MissingField, "src:1: no field 'text' — expected an object with a field 'text'" },
        { "wrong type", Jsonl, "{\"text\": 5, \"label\": \"pos\"}\n", BadLineReason.InvalidJson, "src:1: field 'text' is a number — expected a string" },
        { "label of wrong type", Jsonl, "{\"text\": \"x\", \"label\": [1]}\n", BadLineReason.InvalidJson, "src:1: field 'label' is a array — expected a string or an integer" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_stops_with_file_line_and_what_was_expected(string what, SourceOptions source, string content, BadLineReason reason, string message)
    {
        var path = temp.File("src", content);
        var e = Assert.Throws<DataFormatException>(() => Prepare(source, path));
        Assert.Equal(reason, e.Reason);
        Assert.StartsWith(path + message[3..], e.Message);
        Assert.Contains("on_bad_line: skip", e.Message);
        Assert.False(Directory.Exists(temp.Combine("out")), what);
    }

    [Fact]
    public void Skipped_lines_are_counted_by_reason_reported_and_recorded_in_meta()
    {
        var path = temp.File("pairs.tsv", "good\tline\nno tab\nbad <FF>\tbyte\n\n123456789\t123456789012\nx\t\nanother\tgood one\nalso no tab\n");
        var messages = new List<string>();
        var result = DatasetPreparer.Prepare(Options(Pairs with { OnBadLine = BadLinePolicy.Skip }, path), encoder, messages.Add);

        var skipped = result.Meta.Skipped;
        Assert.Equal(5, skipped.Total);
        Assert.Equal(new Dictionary<string, long> { ["empty_field"] = 1, ["invalid_utf8"] = 1, ["line_too_long"] = 1, ["missing_column"] = 2 }, skipped.ByReason);
        Assert.Equal([$"{path}:2", $"{path}:3", $"{path}:5", $"{path}:6", $"{path}:8"], skipped.First.Select(s => s.Location));
        Assert.Equal("missing_column", skipped.First[0].Reason);
        Assert.Equal(1, result.Meta.BlankLines);
        Assert.Equal(2, result.Meta.Splits["train"].Examples);
        Assert.Contains(messages, m => m.Contains("skipped 5 bad lines: empty_field 1, invalid_utf8 1, line_too_long 1, missing_column 2"));

        var json = File.ReadAllText(Path.Combine(result.Directory, "meta.json"));
        Assert.Contains("\"invalid_utf8\": 1", json);
        Assert.Contains($"\"location\": \"{path}:3\"", json);
    }

    [Theory]
    [InlineData(SourceKind.LabeledTsv, "pos\tok\nmaybe\tno\n\tempty label\nneg\tfine\n", 2)]
    [InlineData(SourceKind.LabeledJsonl, "{\"text\": \"ok\", \"label\": \"pos\"}\n{\"text\": \"no\", \"label\": \"maybe\"}\n{oops\n{\"text\": \"fine\", \"label\": \"neg\"}\n", 2)]
    public void Skipping_leaves_out_unknown_labels_and_keeps_the_rest(SourceKind kind, string content, long skippedLines)
    {
        var path = temp.File("cls", content);
        var result = DatasetPreparer.Prepare(Options(new SourceOptions { Kind = kind, Labels = ["neg", "pos"], OnBadLine = BadLinePolicy.Skip }, path), encoder);
        Assert.Equal(skippedLines, result.Meta.Skipped.Total);
        Assert.Equal(1, result.Meta.Skipped.ByReason["unknown_label"]);
        using var data = PreparedDataset.Open(result.Directory);
        var train = data.Split("train");
        Assert.Equal([1, 0], new[] { train.Label(0), train.Label(1) });
        Assert.Equal("fine", encoder.Decode(train.ReadSegment(1)));
    }

    [Fact]
    public void An_empty_file_is_skipped_and_counted_when_others_have_examples()
    {
        var empty = temp.File("empty.txt", "");
        var full = temp.File("full.txt", "one\n");
        var result = DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("out"),
            Source = Text with { OnBadLine = BadLinePolicy.Skip },
            Train = [empty, full],
        }, encoder);
        Assert.Equal(1, result.Meta.Skipped.ByReason["empty_file"]);
        Assert.Equal(empty, result.Meta.Skipped.First[0].Location);
        Assert.Equal(1, result.Meta.Splits["train"].Examples);
    }

    [Fact]
    public void A_valid_label_that_train_does_not_have_names_the_valid_file_and_line()
    {
        var train = temp.File("train.tsv", "b\tx\na\ty\n");
        var valid = temp.File("valid.tsv", "a\tz\nc\tw\n");
        var e = Assert.Throws<DataFormatException>(() => DatasetPreparer.Prepare(new PrepareOptions
        {
            OutputDirectory = temp.Combine("out"),
            Source = new SourceOptions { Kind = SourceKind.LabeledTsv },
            Train = [train],
            Valid = [valid],
        }, encoder));
        Assert.StartsWith($"{valid}:2: label 'c' — expected a label that the train sources have: 'a', 'b'", e.Message);
    }

    [Fact]
    public void Collected_labels_are_sorted_ordinally_and_ids_follow_that_order()
    {
        var path = temp.File("train.jsonl", "{\"review\": \"great\", \"stars\": 5}\n{\"review\": \"poor\", \"stars\": 1}\n{\"review\": \"fine\", \"stars\": \"3\"}\n");
        var result = DatasetPreparer.Prepare(Options(new SourceOptions { Kind = SourceKind.LabeledJsonl, TextField = "review", LabelField = "stars" }, path), encoder);
        Assert.Equal(["1", "3", "5"], result.Meta.Labels);
        using var data = PreparedDataset.Open(result.Directory);
        var split = data.Split("train");
        Assert.Equal([2, 0, 1], Enumerable.Range(0, 3).Select(i => split.Label(i)));
    }

    [Fact]
    public void Blank_lines_carriage_returns_and_a_byte_order_mark_are_not_part_of_documents()
    {
        var path = temp.File("doc.txt", "\uFEFFfirst\r\n\r\n   \nsecond\r\nlast without newline");
        var result = DatasetPreparer.Prepare(Options(Text with { MaxLineChars = 100 }, path), encoder);
        Assert.Equal(2, result.Meta.BlankLines);
        using var data = PreparedDataset.Open(result.Directory);
        var split = data.Split("train");
        Assert.Equal(["first", "second", "last without newline"],
            Enumerable.Range(0, 3).Select(i => encoder.Decode(split.ReadSegment(i).SkipLast(1))));
    }

    [Fact]
    public void The_line_reader_numbers_lines_and_flags_an_over_long_line_without_reading_it_whole()
    {
        var path = temp.File("long.txt", "a\n" + new string('x', 1000) + "\nb");
        var lines = Utf8LineReader.Read(path, maxChars: 10).ToArray();
        Assert.Equal([1L, 2, 3], lines.Select(l => l.Number));
        Assert.Equal("a", lines[0].Text);
        Assert.Equal(BadLineReason.LineTooLong, lines[1].Problem);
        Assert.Equal("a line of 1,000 bytes (more than 10 characters)", lines[1].Detail);
        Assert.Equal("b", lines[2].Text);
    }

    private PrepareResult Prepare(SourceOptions source, string path) => DatasetPreparer.Prepare(Options(source, path), encoder);

    private PrepareOptions Options(SourceOptions source, string path) =>
        new() { OutputDirectory = temp.Combine("out"), Source = source, Train = [path] };
}
