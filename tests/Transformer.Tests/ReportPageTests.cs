using System.Text.RegularExpressions;
using System.Xml.Linq;
using Transformer.Reporting;

namespace Transformer.Tests;

public class ReportPageTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 1, 2, 3];

    private static ReportContent Full() => new()
    {
        Title = "reverse <b>&</b>",
        Facts = [("model", "encoder_decoder"), ("parameters", "1,234")],
        Metrics = [("exact_match", 0.995), ("loss", 0.0123456789), ("tokens", 1234567)],
        MetricsSource = "test split",
        Curves = [new ReportImage("loss", Png)],
        Examples = [new ReportExample("abc", "cba", "cba"), new ReportExample("<x>", "x>", "y")],
        Attention = [new ReportImage("layer 0", Png)],
        Config = "name: reverse\nmodel: {d_model: 64}\n",
        Parameters = [("total", 1234), ("encoder", 1000)],
    };

    [Fact]
    public void The_page_carries_everything_inline_and_escapes_text()
    {
        var html = ReportPage.Render(Full());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<b>&</b>", html);
        Assert.Contains("reverse &lt;b&gt;&amp;&lt;/b&gt;", html);
        Assert.Contains("&lt;x&gt;", html);
        // Nothing is fetched from elsewhere: no scripts, every src is a data URI, no links out.
        Assert.DoesNotContain("<script", html);
        var sources = Regex.Matches(html, "src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), s));
        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("url(", html);
        // Well-formed enough for an XML parser once the doctype is gone (every tag closed, void img written as such).
        var xml = Regex.Replace(html.Replace("<!DOCTYPE html>", ""), "<(img|meta)([^>]*[^/])>", "<$1$2/>");
        var root = XElement.Parse(xml);
        Assert.Equal(2 + 3 + 2, root.Descendants("tr").Count(r => r.Parent!.Attribute("class")?.Value is "facts" or "metrics" or "parameters"));
    }

    [Fact]
    public void Examples_are_marked_right_or_wrong_against_their_reference()
    {
        var html = ReportPage.Render(Full());
        Assert.Single(Regex.Matches(html, "<tr class=\"right\">"));
        Assert.Single(Regex.Matches(html, "<tr class=\"wrong\">"));
        Assert.Null(new ReportExample("a", null, "b").Correct);
        Assert.Null(new ReportExample("a", "b", "c", Judged: false).Correct);
    }

    [Fact]
    public void Numbers_are_shown_in_invariant_culture_and_empty_sections_are_left_out()
    {
        var html = ReportPage.Render(Full());
        Assert.Contains("<td>0.995</td>", html);
        Assert.Contains("<td>0.0123457</td>", html);
        Assert.Contains("<td>1,234,567</td>", html);
        var bare = ReportPage.Render(new ReportContent { Title = "t" });
        foreach (var section in new[] { "Metrics", "Learning curves", "Examples", "Attention", "Parameters", "Configuration" })
            Assert.DoesNotContain($"<h2>{section}</h2>", bare);
    }
}
