using Transformer.Training.Metrics;

namespace Transformer.Tests;

// Expected outputs are what sacreBLEU 2.x's Tokenizer13a returns: its four regular expressions
// (sacrebleu/tokenizers/tokenizer_re.py) run through Python's re module on each input.
public class MetricTokenizer13aTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "Hello, world!", "Hello , world !" },
        { "It wasn't surprising.", "It wasn't surprising ." },
        { "3.14 and 1,000 items.", "3.14 and 1,000 items ." },
        { "pages 10-20, not 10 - 20", "pages 10 - 20 , not 10 - 20" },
        { "well-known e-mail", "well-known e-mail" },
        { "x-5", "x-5" },
        { "5-x", "5 - x" },
        { "x.5", "x . 5" },
        { "5.x", "5 . x" },
        { "1.5.2019", "1.5.2019" },
        { "a.b,c", "a . b , c" },
        { "e.g. U.S.A. ...", "e . g . U . S . A . . . ." },
        { "$5.00 or 5,- euro", "$ 5.00 or 5 , - euro" },
        { "(hi) [x] {y} a/b @c #d ~e", "( hi ) [ x ] { y } a / b @ c # d ~ e" },
        { "&quot;quoted&quot; &amp; &lt;tag&gt;", "\" quoted \" & < tag >" },
        { "&amp;lt;", "<" },
        { "no &quot entity", "no & quot entity" },
        { "one-\ntwo\nthree", "onetwo three" },
        { "<skipped> text", "text" },
        { "  spaced\tout\u3000words  ", "spaced out words" },
        { "naïve café.", "naïve café ." },
        { "\U0001F600.", "\U0001F600 ." },
        { "", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tokenizes_like_sacrebleu_13a(string line, string expected)
    {
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));
    }

    [Fact]
    public void Python_whitespace_includes_the_information_separators()
    {
        Assert.Equal(["a", "b", "c", "d"], PythonText.Split("a\u001Fb\u00A0c\u2028d"));
        Assert.Equal(" x", PythonText.TrimEnd(" x \u001C\t"));
    }
}
