// One input text from a whole file, the way the corpus converters make training examples of documents: an e-mail
// message (headers first) becomes its decoded body text as SpamAssassin's converter extracts it; any other file
// has every run of whitespace collapsed to one space. So `generate --document` sees what training saw.
namespace Transformer.Data.Corpora;

public static class DocumentText
{
    public static string FromFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = CorpusText.Utf8.GetString(bytes);
        var newline = text.IndexOf('\n');
        var firstLine = (newline >= 0 ? text[..newline] : text).TrimEnd('\r');
        return MailHeaders.IsHeaderLine(firstLine) ? new MailBody().Extract(bytes, path) : MailBody.OneLine(text);
    }
}
