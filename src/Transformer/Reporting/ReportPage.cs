// One self-contained HTML page about a run: everything inline (styles, images as data URIs, no scripts or fonts
// from elsewhere), so the file can be mailed, attached to an issue or opened offline.
using System.Globalization;
using System.Net;
using System.Text;

namespace Transformer.Reporting;

/// <summary>A picture on the page: PNG bytes and what it shows (its alternative text).</summary>
public sealed record ReportImage(string Caption, byte[] Png);

/// <summary>One example of the model at work: its input, the reference (when known), and what the model produced;
/// <paramref name="Judged"/> when the output should equal the reference (not a language model's continuation).</summary>
public sealed record ReportExample(string Input, string? Reference, string Output, bool Judged = true)
{
    /// <summary>Output equals reference (null without one, or when not judged).</summary>
    public bool? Correct => Reference is null || !Judged ? null : Reference == Output;
}

/// <summary>What a run report shows; <see cref="ReportPage.Render"/> lays it out.</summary>
public sealed record ReportContent
{
    public required string Title { get; init; }
    /// <summary>Short facts shown first (model kind, parameters, steps, training time, checkpoint…), in order.</summary>
    public IReadOnlyList<(string Name, string Value)> Facts { get; init; } = [];
    /// <summary>The final metrics (name → value), in order.</summary>
    public IReadOnlyList<(string Name, double Value)> Metrics { get; init; } = [];
    /// <summary>Where the metrics come from, e.g. "test split, checkpoint step-2000".</summary>
    public string? MetricsSource { get; init; }
    public IReadOnlyList<ReportImage> Curves { get; init; } = [];
    public IReadOnlyList<ReportExample> Examples { get; init; } = [];
    public string? ExamplesSource { get; init; }
    /// <summary>The attention maps of one example, and what that example was.</summary>
    public IReadOnlyList<ReportImage> Attention { get; init; } = [];
    public string? AttentionSource { get; init; }
    /// <summary>The resolved configuration (YAML).</summary>
    public string? Config { get; init; }
    /// <summary>Parameters per module (name, count), and the total first.</summary>
    public IReadOnlyList<(string Module, long Count)> Parameters { get; init; } = [];
}

public static class ReportPage
{
    /// <summary>The whole page. Sections without content are left out.</summary>
    public static string Render(ReportContent content)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Text(content.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Text(content.Title)).Append("</h1>\n");

        if (content.Facts.Count > 0)
        {
            html.Append("<table class=\"facts\">\n");
            foreach (var (name, value) in content.Facts)
                html.Append("<tr><th>").Append(Text(name)).Append("</th><td>").Append(Text(value)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }

        if (content.Metrics.Count > 0)
        {
            Section(html, "Metrics", content.MetricsSource);
            html.Append("<table class=\"metrics\">\n");
            foreach (var (name, value) in content.Metrics)
                html.Append("<tr><th>").Append(Text(name)).Append("</th><td>").Append(Number(value)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }

        if (content.Curves.Count > 0)
        {
            Section(html, "Learning curves", null);
            Images(html, content.Curves, "curves");
        }

        if (content.Examples.Count > 0)
        {
            Section(html, "Examples", content.ExamplesSource);
            var references = content.Examples.Any(e => e.Reference is not null);
            html.Append("<table class=\"examples\">\n<tr><th>input</th>").Append(references ? "<th>reference</th>" : "").Append("<th>output</th></tr>\n");
            foreach (var e in content.Examples)
            {
                html.Append(e.Correct switch { true => "<tr class=\"right\">", false => "<tr class=\"wrong\">", null => "<tr>" })
                    .Append("<td>").Append(Text(e.Input)).Append("</td>");
                if (references) html.Append("<td>").Append(Text(e.Reference ?? "")).Append("</td>");
                html.Append("<td>").Append(Text(e.Output)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }

        if (content.Attention.Count > 0)
        {
            Section(html, "Attention", content.AttentionSource);
            Images(html, content.Attention, "attention");
        }

        if (content.Parameters.Count > 0)
        {
            Section(html, "Parameters", null);
            html.Append("<table class=\"parameters\">\n");
            foreach (var (module, count) in content.Parameters)
                html.Append("<tr><th>").Append(Text(module)).Append("</th><td>").Append(count.ToString("N0", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
            html.Append("</table>\n");
        }

        if (content.Config is not null)
        {
            Section(html, "Configuration", null);
            html.Append("<pre class=\"config\">").Append(Text(content.Config)).Append("</pre>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A PNG as a data URI (the page carries its pictures).</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static void Section(StringBuilder html, string title, string? source)
    {
        html.Append("<h2>").Append(Text(title)).Append("</h2>\n");
        if (source is not null) html.Append("<p class=\"source\">").Append(Text(source)).Append("</p>\n");
    }

    /// <summary>The pictures, each carrying its own title (the caption is their alternative text).</summary>
    private static void Images(StringBuilder html, IReadOnlyList<ReportImage> images, string kind)
    {
        html.Append("<div class=\"").Append(kind).Append("\">\n");
        foreach (var image in images)
        {
            html.Append("<figure><img src=\"").Append(DataUri(image.Png)).Append("\" alt=\"").Append(Text(image.Caption)).Append("\"></figure>\n");
        }
        html.Append("</div>\n");
    }

    private static string Text(string s) => WebUtility.HtmlEncode(s);

    private static string Number(double value) =>
        double.IsFinite(value) && Math.Abs(value) >= 1e5 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);

    private const string Style = """

        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2330;
               max-width: 1100px; margin: 2em auto; padding: 0 1.2em; }
        h1 { font-size: 1.7em; margin-bottom: .4em; }
        h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #d8dce3; padding-bottom: .2em; }
        table { border-collapse: collapse; margin: .4em 0; }
        th, td { text-align: left; padding: .25em .9em .25em 0; vertical-align: top; }
        th { font-weight: 600; color: #4a5263; }
        .metrics td, .parameters td { font-variant-numeric: tabular-nums; text-align: right; }
        .examples { width: 100%; }
        .examples th, .examples td { border-bottom: 1px solid #eceef2; padding: .3em .8em; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        .examples tr.right td:last-child { color: #19733a; }
        .examples tr.wrong td:last-child { color: #b3261e; }
        .source { color: #667085; margin-top: -.4em; }
        .curves, .attention { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0; }
        figure img { max-width: 100%; border: 1px solid #eceef2; }
        .curves figure { flex: 1 1 480px; }
        .attention figure { flex: 1 1 100%; }
        pre.config { background: #f6f7f9; padding: .8em 1em; overflow-x: auto; font-size: .88em; }

        """;
}
