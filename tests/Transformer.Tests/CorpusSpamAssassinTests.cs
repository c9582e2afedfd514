// SpamAssassin → "label<TAB>text", on hand-made messages in the package's layout (data/file_list.json
// listing "group/NNNNN.md5.txt" raw RFC 822 messages).
using System.Text;
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public class CorpusSpamAssassinTests
{
    private static string Message(string headers, string body) =>
        "From someone@example.com  Thu Aug 22 12:36:23 2002\nReturn-Path: <someone@example.com>\n" +
        "Received: from example.com\n\tby mail.example.com (Postfix)\nSubject: a subject line\n" + headers + "\n" + body;

    private static readonly (string File, string Text)[] Special =
    [
        ("easy-ham-1/00001.a.txt", Message("", "Hello team,\n\tthe build\nis green.\n").Replace("\n", "\r\n")),
        ("spam-1/00001.b.txt", Message("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n",
            "Caf=E9 offer =3D free=\n money\n")),
        ("spam-2/00001.c.txt", Message("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
            Chunk(System.Convert.ToBase64String(Encoding.UTF8.GetBytes("Win a prize — now!\n"))))),
        ("hard-ham-1/00001.d.txt", Message("MIME-Version: 1.0\nContent-Type: multipart/alternative;\n\tboundary=\"==b1\"\n",
            "preamble\n--==b1\nContent-Type: text/plain; charset=us-ascii\n\nPlain version\n" +
            "--==b1\nContent-Type: text/html\n\n<p>HTML version</p>\n--==b1--\nepilogue\n")),
        ("spam-2/00002.e.txt", Message("Content-Type: multipart/mixed; boundary=XYZ\n",
            "--XYZ\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n" +
            "--inner\nContent-Type: text/plain\n\n\n--inner\nContent-Type: text/html\n\n<b>Buy</b> now\n--inner--\n" +
            "--XYZ\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n" +
            "Content-Disposition: attachment; filename=\"a.exe\"\n\nTVqQAAMAAAAEAAAA\n--XYZ--\n")),
        ("easy-ham-2/00001.f.txt", Message("X-Other: header\n", "Hello team,\n\tthe build\nis green.\n")), // duplicate body of the first
        ("easy-ham-2/00002.g.txt", Message("", "\n \t\n")),                                                // empty body
        ("spam-1/00002.h.txt", Message("", "ham filler 0 about the build\n")),                             // same as a ham filler
    ];

    private static string Chunk(string base64) => string.Concat(base64.Chunk(8).Select(c => new string(c) + "\n"));

    private static List<(string File, string Text)> Messages() =>
    [
        .. Special.Take(1),
        .. Enumerable.Range(0, 20).Select(i => ($"easy-ham-1/{i + 100:D5}.x.txt", Message("", $"ham filler {i} about the build\n"))),
        .. Special.Skip(1),
        .. Enumerable.Range(0, 10).Select(i => ($"spam-2/{i + 100:D5}.y.txt", Message("", $"spam filler {i}: buy now\n"))),
    ];

    private static void WriteSample(CorpusTempDir dir, IEnumerable<(string File, string Text)>? messages = null)
    {
        var list = (messages ?? Messages()).ToList();
        foreach (var (file, text) in list) dir.Write("raw/data/" + file, Encoding.Latin1.GetBytes(text));
        dir.Write("raw/data/file_list.json", "[\n" + string.Join(",\n", list.Select(m => $"  \"{m.File}\"")) + "\n]\n");
    }

    private static SpamAssassinReport Convert(CorpusTempDir dir, int seed = 3, string output = "out") =>
        new SpamAssassinConverter().Convert(dir["raw"], dir[output], seed);

    private static List<string[]> All(CorpusTempDir dir, string output = "out") =>
        new[] { "train", "valid", "test" }.SelectMany(s => dir.Lines($"{output}/{s}.tsv")).Select(l => l.Split('\t')).ToList();

    [Fact]
    public void Headers_are_stripped_and_simple_mime_bodies_decoded_to_one_line()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir);
        var rows = All(dir);
        Assert.All(rows, r => Assert.Equal(2, r.Length));
        var texts = rows.ToDictionary(r => r[1], r => r[0]);
        Assert.Equal("ham", texts["Hello team, the build is green."]);
        Assert.Equal("spam", texts["Café offer = free money"]);
        Assert.Equal("spam", texts["Win a prize — now!"]);
        Assert.Equal("ham", texts["Plain version"]);
        Assert.Equal("spam", texts["<b>Buy</b> now"]);   // empty text/plain alternative skipped, attachment dropped
        Assert.DoesNotContain(rows, r => r[1].Contains("subject line") || r[1].Contains("Return-Path") || r[1].Contains("Postfix"));
        Assert.Equal((1, 1, 0, 2), (report.QuotedPrintableParts, report.Base64Parts, report.KeptRaw, report.Multipart));
    }

    [Fact]
    public void Include_subject_puts_the_subject_first_and_keeps_the_same_split()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        Convert(dir);
        var withSubject = new SpamAssassinConverter(new SpamAssassinOptions { IncludeSubject = true }).Convert(dir["raw"], dir["subject"], 3);
        Assert.Equal(3, withSubject.DuplicatesRemoved + withSubject.EmptyBodies); // the duplicate body differs in headers only
        foreach (var split in new[] { "train", "valid", "test" })
            Assert.Equal(dir.Lines($"out/{split}.tsv").Select(l => l.Replace("\t", "\tSubject: a subject line ")), dir.Lines($"subject/{split}.tsv"));
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("=?iso-8859-1?Q?Caf=E9_offer?=", "Café offer")]
    [InlineData("=?UTF-8?B?V2luIGEgcHJpemUg4oCU?= now", "Win a prize — now")]
    [InlineData("=?utf-8?q?one?= =?utf-8?q?_two?=", "one two")]                  // whitespace between encoded-words dropped
    [InlineData("Re: =?windows-1252?Q?=93hi=94?= there", "Re: “hi” there")]
    [InlineData("=?utf-8*en?Q?lang?=", "lang")]                                   // RFC 2231 language suffix
    [InlineData("=?utf-8?B?%%%?= kept", "=?utf-8?B?%%%?= kept")]                  // undecodable: kept as written
    [InlineData("=?no-such-charset?Q?x=E9?=", "xé")]                              // unknown charset: the body fallback
    [InlineData("caf\u00c3\u00a9 raw", "café raw")]                               // raw 8-bit UTF-8 in a header
    public void Subject_headers_are_decoded_by_rfc_2047(string header, string expected)
    {
        Assert.Equal(expected, MailBody.DecodeHeader(header));
    }

    [Fact]
    public void Duplicate_and_empty_bodies_are_removed_before_the_split()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir);
        Assert.Equal(38, report.Messages);
        Assert.Equal(new Dictionary<string, int> { ["easy-ham-1"] = 21, ["easy-ham-2"] = 2, ["hard-ham-1"] = 1, ["spam-1"] = 2, ["spam-2"] = 12 },
            report.MessagesByGroup.OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Equal((1, 2, 1, 2), (report.EmptyBodies, report.DuplicatesRemoved, report.DuplicatesAcrossLabels, report.RawBodyDuplicates));
        Assert.Equal((13, 22), (report.KeptSpam, report.KeptHam));
        var rows = All(dir);
        Assert.Equal(35, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r[1]).Distinct().Count());
        Assert.Equal("ham", rows.Single(r => r[1] == "ham filler 0 about the build")[0]); // the first copy is kept
    }

    [Fact]
    public void The_split_is_stratified_by_label_and_depends_only_on_the_seed()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var report = Convert(dir, seed: 3);
        // ham 22 → 2 test, 2 valid, 18 train; spam 13 → 1, 1, 11 (10% of each label, rounded)
        Assert.Equal([("train", 11, 18), ("valid", 1, 2), ("test", 1, 2)], report.Splits.Select(s => (s.Name, s.Spam, s.Ham)));
        foreach (var split in report.Splits)
        {
            var labels = dir.Lines($"out/{split.Name}.tsv").Select(l => l.Split('\t')[0]).ToList();
            Assert.Equal((split.Spam, split.Ham), (labels.Count(l => l == "spam"), labels.Count(l => l == "ham")));
        }

        Convert(dir, seed: 3, output: "again");
        Convert(dir, seed: 4, output: "other");
        foreach (var file in new SpamAssassinConverter().OutputFiles)
            Assert.Equal(File.ReadAllBytes(dir[$"out/{file}"]), File.ReadAllBytes(dir[$"again/{file}"]));
        Assert.NotEqual(dir.Lines("out/train.tsv"), dir.Lines("other/train.tsv"));
        Assert.Equal(All(dir).Select(r => r[1]).Order(StringComparer.Ordinal), All(dir, "other").Select(r => r[1]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_multipart_without_its_boundary_is_kept_raw()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir,
            [("spam-1/00001.z.txt", Message("Content-Type: multipart/alternative; boundary=\"nope\"\n", "--other\nContent-Type: text/plain\n\nHi\n--other--\n"))]);
        var report = Convert(dir);
        Assert.Equal(1, report.KeptRaw);
        Assert.Equal(["spam", "--other Content-Type: text/plain Hi --other--"], All(dir).Single());
    }

    [Fact]
    public void Bad_lists_and_messages_name_the_file_and_line()
    {
        using var dir = new CorpusTempDir();
        WriteSample(dir);
        var list = dir["raw/data/file_list.json"];
        File.WriteAllText(list, "[\n  \"easy-ham-1/00001.a.txt\",\n  \"junk/00001.a.txt\"\n]");
        var e = Assert.Throws<CorpusFormatException>(() => Convert(dir));
        Assert.Equal(3, e.Line);
        Assert.StartsWith($"{list}:3: unknown group 'junk' in 'junk/00001.a.txt' — expected one of spam-1, spam-2", e.Message);

        File.WriteAllText(list, "[\n  \"easy-ham-1/00001.a.txt\",\n  \"spam-1/missing.txt\"\n]");
        Assert.Equal($"{list}:3: lists 'spam-1/missing.txt', which is missing — expected every listed message (re-run scripts/fetch-data.sh spamassassin)",
            Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        File.WriteAllText(list, "{\"files\": []}");
        Assert.Equal($"{list}:1: expected a JSON array of \"group/file.txt\" strings", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        File.WriteAllText(list, "[\n  \"easy-ham-1/00001.a.txt\",\n  42\n]");
        Assert.Equal($"{list}:3: expected a \"group/file.txt\" string, found a JSON Number", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        File.WriteAllText(list, "[\n  \"easy-ham-1/00001.a.txt\",\n  \"unterminated\n]");
        Assert.StartsWith($"{list}:", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);

        WriteSample(dir, [("spam-1/00001.z.txt", "This is not an email\n\nbody\n")]);
        Assert.Equal(
            $"{dir["raw/data/spam-1/00001.z.txt"]}:1: expected an email message starting with headers (\"From …\" or \"Name: value\"), found 'This is not an email'",
            Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
        File.Delete(list);
        Assert.Contains("file_list.json: missing — expected the message list", Assert.Throws<CorpusFormatException>(() => Convert(dir)).Message);
    }
}
