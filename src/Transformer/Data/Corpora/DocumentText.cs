// One input text from a whole file, the way the corpus converters make training examples of documents: an e-mail
// message (headers first) becomes its decoded body text as SpamAssassin's converter extracts it; any other file
// has every run of whitespace collapsed to one space. So `generate --document` sees what training saw.
namespace Transformer.Data.Corpora;

public static class DocumentText
{
    /// <summary>The text of the file at <paramref name="path"/>; <paramref name="includeSubject"/> puts an
    /// e-mail's Subject in front as data.include_subject does.</summary>
    public static string FromFile(string path, bool includeSubject = false)
    {
        var bytes = File.ReadAllBytes(path);
        var text = CorpusText.Utf8.GetString(bytes);
        var newline = text.IndexOf('\n');
        var firstLine = (newline >= 0 ? text[..newline] : text).TrimEnd('\r');
        if (!MailHeaders.IsHeaderLine(firstLine)) return MailBody.OneLine(text);
        var (subject, body) = new MailBody().ExtractWithSubject(bytes, path);
        return includeSubject ? MailBody.WithSubject(subject, body) : body;
    }
}
