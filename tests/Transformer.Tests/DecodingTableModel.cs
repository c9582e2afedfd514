// A stand-in model for testing the search algorithms exactly and fast: the next-token distribution is
// a plain function of the source and the tokens so far (e.g. a fixed random table), so any sequence's
// log-probability is known exactly, in double precision, without a network.
using Transformer.Models.Decoding;

namespace Transformer.Tests;

internal sealed class DecodingTableModel : IDecoderStep
{
    public const long Pad = 0, Bos = 1, Eos = 2;

    private readonly Func<int, long[], double[]> distribution;     // (source, tokens so far) → log-probabilities (V)
    private List<(int source, long[] tokens)> rows;
    private bool started;

    public DecodingTableModel(int sources, int vocab, Func<int, long[], double[]> distribution)
    {
        this.distribution = distribution;
        rows = Enumerable.Range(0, sources).Select(s => (s, Array.Empty<long>())).ToList();
        VocabSize = vocab;
    }

    /// <summary>Each source's distribution is a fixed random table indexed by (position, previous token).</summary>
    /// <param name="eosBias">Added to the EOS logit: larger makes sequences end sooner.</param>
    /// <param name="sameTable">Every source shares one table (many draws from one distribution).</param>
    public static DecodingTableModel Random(int sources, int vocab, int maxLength, int seed, double sharpness = 2.0,
        double eosBias = 0.0, bool sameTable = false)
    {
        var random = new Random(seed);
        var tables = Enumerable.Range(0, sameTable ? 1 : sources).Select(_ =>
            Enumerable.Range(0, maxLength).Select(_ => Enumerable.Range(0, vocab).Select(_ =>
                Normalize(Enumerable.Range(0, vocab).Select(v => sharpness * (random.NextDouble() * 2 - 1) + (v == Eos ? eosBias : 0)).ToArray()))
                .ToArray()).ToArray()).ToArray();
        return new DecodingTableModel(sources, vocab, (s, tokens) => tables[s % tables.Length][tokens.Length][tokens.Length == 0 ? Bos : tokens[^1]]);
    }

    /// <summary>Logits → log-probabilities, the padding id excluded.</summary>
    public static double[] Normalize(double[] logits)
    {
        logits = logits.Select((l, v) => v == Pad ? double.NegativeInfinity : l).ToArray();
        var max = logits.Max();
        var logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return logits.Select(l => l - logSum).ToArray();
    }

    public int BatchSize => rows.Count;
    public long VocabSize { get; }

    /// <summary>log P(tokens [+ EOS] | source).</summary>
    public double LogProbability(int source, long[] tokens, bool finished)
    {
        long[] scored = finished ? [.. tokens, Eos] : tokens;
        return Enumerable.Range(0, scored.Length).Sum(t => distribution(source, scored[..t])[scored[t]]);
    }

    public Tensor Start()
    {
        Assert.False(started);
        started = true;
        return Distributions();
    }

    public Tensor Step(Tensor tokens)
    {
        Assert.True(started);
        Assert.Equal(new long[] { rows.Count, 1 }, tokens.shape);
        var ids = tokens.data<long>().ToArray();
        rows = rows.Select((r, i) => (r.source, (long[])[.. r.tokens, ids[i]])).ToList();
        return Distributions();
    }

    public void Reorder(Tensor indices)
    {
        Assert.True(started);
        rows = indices.data<long>().ToArray().Select(i => rows[(int)i]).ToList();
    }

    private Tensor Distributions() =>
        tensor(rows.SelectMany(r => distribution(r.source, r.tokens)).ToArray(), new long[] { rows.Count, VocabSize });

    public void Dispose() { }
}
