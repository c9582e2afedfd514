// Attention weights as JSON and as one self-contained HTML page: the weights travel in the page and a
// small inline script draws the heatmap of the chosen layer and head, with the weight under the pointer.
// Nothing is loaded from outside the page, so it opens offline and can be mailed or embedded in a report.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Transformer.Models;

namespace Transformer.Visualization;

public static class AttentionPage
{
    /// <summary>{tokens_source, tokens_target, layers: [{stack, layer, kind, queries, keys, heads[h][q][k], mean[q][k]}]};
    /// queries/keys name the token sequence ("source" or "target") of each axis. <paramref name="digits"/> rounds the
    /// weights (null: exact float values).</summary>
    public static string Json(AttentionSet set, bool indented = false, int? digits = null, bool htmlSafe = false)
    {
        var options = new JsonWriterOptions
        {
            Indented = indented,
            // In a page the JSON sits inside a <script>: the default encoder escapes <, > and &.
            Encoder = htmlSafe ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            WriteStrings(json, "tokens_source", set.SourceTokens);
            if (set.TargetTokens is null) json.WriteNull("tokens_target");
            else WriteStrings(json, "tokens_target", set.TargetTokens);
            json.WriteStartArray("layers");
            foreach (var layer in set.Layers)
            {
                json.WriteStartObject();
                json.WriteString("stack", layer.Stack);
                json.WriteNumber("layer", layer.Layer);
                json.WriteString("kind", layer.Kind == AttentionKind.Self ? "self" : "cross");
                json.WriteString("queries", Side(layer.Queries));
                json.WriteString("keys", Side(layer.Keys));
                json.WriteStartArray("heads");
                foreach (var head in layer.Heads) WriteMatrix(json, null, head, digits);
                json.WriteEndArray();
                WriteMatrix(json, "mean", layer.Mean, digits);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Side(TokenSide side) => side == TokenSide.Source ? "source" : "target";

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }

    private static void WriteMatrix(Utf8JsonWriter json, string? name, float[][] matrix, int? digits)
    {
        if (name is null) json.WriteStartArray(); else json.WriteStartArray(name);
        foreach (var row in matrix)
        {
            json.WriteStartArray();
            foreach (var v in row)
                if (digits is { } d) json.WriteNumberValue(Math.Round((double)v, d));
                else json.WriteNumberValue(v);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    /// <summary>A whole HTML page around <see cref="Fragment"/>.</summary>
    public static string Page(AttentionSet set, string title) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; } h1 { font-size: 1.3em; }</style>
        </head>
        <body>
        <h1>{{WebUtility.HtmlEncode(title)}}</h1>
        {{Fragment(set)}}
        </body>
        </html>

        """;

    /// <summary>An embeddable &lt;div&gt; with its data, style and script: a layer menu, head buttons (the average and
    /// each head), the heatmap and a read-out of the weight under the pointer. <paramref name="id"/> must be unique
    /// in the page that embeds several.</summary>
    public static string Fragment(AttentionSet set, string id = "attention")
    {
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"the fragment id must be letters, digits, - or _; got '{id}'");
        var shown = set with { SourceTokens = [.. set.SourceTokens.Select(AttentionSet.Readable)], TargetTokens = set.TargetTokens?.Select(AttentionSet.Readable).ToArray() };
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div class="attention-view" id="{{id}}">
            <style>
            #{{id}} .controls { margin: 0.5em 0; display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; }
            #{{id}} button { font: inherit; padding: 0.15em 0.6em; border: 1px solid #888; background: #f4f4f4; border-radius: 3px; cursor: pointer; }
            #{{id}} button.on { background: #2a6f97; color: white; border-color: #2a6f97; }
            #{{id}} .readout { font-family: ui-monospace, monospace; min-height: 1.4em; }
            #{{id}} canvas { display: block; margin-top: 0.3em; }
            #{{id}} .heads { display: inline-flex; gap: 0.3em; flex-wrap: wrap; }
            #{{id}} .axes { color: #555; display: flex; gap: 0.5em; align-items: center; }
            #{{id}} .scale { display: inline-block; width: 120px; height: 10px; vertical-align: middle;
              background: linear-gradient(to right, #440154, #482c7a, #3b518b, #2c718e, #21908d, #27ad81, #5cc863, #aadc32, #fde725); }
            </style>
            <div class="controls"><label>Layer <select class="layer"></select></label><span class="heads"></span></div>
            <div class="axes"><span class="sides"></span><span>0 <span class="scale"></span> 1</span></div>
            <div class="readout">Point at a cell to read its weight.</div>
            <canvas></canvas>
            <script type="application/json" class="data">{{Json(shown, digits: 4, htmlSafe: true)}}</script>
            <noscript>Input: {{WebUtility.HtmlEncode(string.Join(" ", shown.SourceTokens))}}. The heatmaps need JavaScript; the PNG files beside this page show them too.</noscript>
            </div>
            <script>
            {{Script.Replace("ROOT_ID", id, StringComparison.Ordinal)}}
            </script>
            """);
    }

    // Viridis at 9 stops, interpolated; rows are queries, columns keys. Canvas pixels are scaled for sharp text.
    private const string Script = """
        (function () {
          const root = document.getElementById("ROOT_ID");
          const data = JSON.parse(root.querySelector("script.data").textContent);
          const select = root.querySelector("select.layer"), heads = root.querySelector(".heads");
          const readout = root.querySelector(".readout"), canvas = root.querySelector("canvas"), sides = root.querySelector(".sides");
          const stops = [[68,1,84],[71,44,122],[59,81,139],[44,113,142],[33,144,141],[39,173,129],[92,200,99],[170,220,50],[253,231,37]];
          const color = w => {
            const x = Math.min(Math.max(w, 0), 1) * (stops.length - 1), i = Math.min(Math.floor(x), stops.length - 2), f = x - i;
            const c = stops[i].map((v, j) => Math.round(v + f * (stops[i + 1][j] - v)));
            return "rgb(" + c.join(",") + ")";
          };
          const tokens = side => side === "source" ? data.tokens_source : data.tokens_target;
          let layer = 0, head = -1, geometry = null;
          data.layers.forEach((l, i) => select.add(new Option(l.stack + " layer " + l.layer + " " + l.kind + "-attention", i)));
          function buttons() {
            heads.textContent = "";
            const l = data.layers[layer];
            [-1, ...l.heads.keys()].forEach(h => {
              const b = document.createElement("button");
              b.textContent = h < 0 ? "mean of heads" : "head " + h;
              b.className = h === head ? "on" : "";
              b.onclick = () => { head = h; buttons(); draw(); };
              heads.appendChild(b);
            });
          }
          function draw() {
            const l = data.layers[layer], w = head < 0 ? l.mean : l.heads[head];
            const qs = tokens(l.queries), ks = tokens(l.keys);
            sides.textContent = "rows: " + l.queries + " tokens (queries) \u00b7 columns: " + l.keys + " tokens (keys) \u00b7";
            const ctx = canvas.getContext("2d"), font = "12px ui-monospace, monospace";
            ctx.font = font;
            const room = list => 10 + Math.max(...list.map(t => ctx.measureText(t).width));
            const cell = Math.max(8, Math.min(36, Math.floor(640 / Math.max(qs.length, ks.length))));
            const left = room(qs), top = room(ks), scale = window.devicePixelRatio || 1;
            const width = left + cell * ks.length + 10, height = top + cell * qs.length + 10;
            canvas.width = width * scale; canvas.height = height * scale;
            canvas.style.width = width + "px"; canvas.style.height = height + "px";
            ctx.setTransform(scale, 0, 0, scale, 0, 0);
            ctx.font = font; ctx.fillStyle = "#222"; ctx.textBaseline = "middle";
            const every = Math.max(1, Math.ceil(12 / cell));
            ctx.textAlign = "right";
            qs.forEach((t, q) => { if (q % every === 0) ctx.fillText(t, left - 5, top + (q + 0.5) * cell); });
            ks.forEach((t, k) => {
              if (k % every) return;
              ctx.save(); ctx.translate(left + (k + 0.5) * cell, top - 5); ctx.rotate(-Math.PI / 2);
              ctx.textAlign = "left"; ctx.fillText(t, 0, 0); ctx.restore();
            });
            w.forEach((row, q) => row.forEach((v, k) => { ctx.fillStyle = color(v); ctx.fillRect(left + k * cell, top + q * cell, cell, cell); }));
            geometry = { l, w, qs, ks, cell, left, top };
          }
          canvas.addEventListener("mousemove", e => {
            if (!geometry) return;
            const g = geometry, r = canvas.getBoundingClientRect();
            const k = Math.floor((e.clientX - r.left - g.left) / g.cell), q = Math.floor((e.clientY - r.top - g.top) / g.cell);
            if (q < 0 || k < 0 || q >= g.qs.length || k >= g.ks.length) { readout.textContent = "\u00a0"; return; }
            readout.textContent = g.l.queries + " " + q + " \u201c" + g.qs[q] + "\u201d \u2192 " + g.l.keys + " " + k + " \u201c" + g.ks[k] + "\u201d: " + g.w[q][k].toFixed(4);
          });
          select.onchange = () => { layer = +select.value; if (head >= data.layers[layer].heads.length) head = -1; buttons(); draw(); };
          buttons(); draw();
        })();
        """;
}
