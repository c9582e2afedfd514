// generate --document: a whole file as one input, made the way the corpus converters made training examples.
using Transformer.Data.Corpora;

namespace Transformer.Tests;

public sealed class DocumentTextTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("document-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void An_email_message_becomes_its_decoded_body_on_one_line()
    {
        var path = Write("mail.eml", "From: someone@example.com\r\nSubject: offer\r\nContent-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: quoted-printable\r\n\r\nWin a caf=C3=A9\r\nnow=\r\n!  Click\r\n\r\nhere.\r\n");
        Assert.Equal("Win a café now! Click here.", DocumentText.FromFile(path));
    }

    [Fact]
    public void With_include_subject_an_email_starts_with_its_decoded_subject()
    {
        var path = Write("mail.eml", "From: someone@example.com\nSubject: =?utf-8?Q?Caf=C3=A9?=\n  deal\n\nBody  text\n");
        Assert.Equal("Subject: Café deal Body text", DocumentText.FromFile(path, includeSubject: true));
        Assert.Equal("Body text", DocumentText.FromFile(path));
        Assert.Equal("no headers", DocumentText.FromFile(Write("note.txt", "no headers\n"), includeSubject: true));
    }

    [Fact]
    public void Any_other_file_has_its_whitespace_collapsed()
    {
        Assert.Equal("first line second line", DocumentText.FromFile(Write("note.txt", "  first line\n\n\tsecond   line\n")));
    }

    [Fact]
    public void A_broken_email_is_reported_with_the_file()
    {
        // Headers first, then a multipart body without its boundary: kept raw rather than refused.
        var path = Write("odd.eml", "From: a@b\nContent-Type: multipart/mixed\n\nsome text\n");
        Assert.Equal("some text", DocumentText.FromFile(path));
    }
}
