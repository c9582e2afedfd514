// The no-repeat-n-gram rule of fairseq and Hugging Face generation: before a row picks its next token, every token
// that would complete an n-gram the row has already generated is given log-probability −∞. Small models decoding
// greedily fall into loops ("to study; to study; to study; …"); the rule rules the loop out instead of cutting it.
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Models.Decoding;

public static class RepeatedNgrams
{
    /// <summary>The tokens that would repeat an n-gram of <paramref name="history"/>: each token that followed an earlier
    /// occurrence of the history's last n − 1 tokens (for n = 1, every token of the history). Distinct, in order of
    /// first occurrence; empty when n is 0 or the history is shorter than n − 1.</summary>
    public static List<long> Banned(ReadOnlySpan<long> history, int n)
    {
        var banned = new List<long>();
        if (n < 1 || history.Length < n - 1) return banned;
        var suffix = history[(history.Length - (n - 1))..];
        for (var start = 0; start + n <= history.Length; start++)
        {
            var next = history[start + n - 1];
            if (history.Slice(start, n - 1).SequenceEqual(suffix) && !banned.Contains(next)) banned.Add(next);
        }
        return banned;
    }

    /// <summary>Sets logProbs[r, t] to −∞ (in place) for every token t that <see cref="Banned"/> gives for row r's history.</summary>
    /// <param name="logProbs">(R, V), one row per history.</param>
    public static void Block(Tensor logProbs, IReadOnlyList<long[]> histories, int n)
    {
        if (n < 1) return;
        if (histories.Count != logProbs.size(0))
            throw new ArgumentException($"{histories.Count} histories for {logProbs.size(0)} rows of log-probabilities");
        var (rows, tokens) = (new List<long>(), new List<long>());
        for (var r = 0; r < histories.Count; r++)
            foreach (var token in Banned(histories[r], n))
            {
                rows.Add(r);
                tokens.Add(token);
            }
        if (rows.Count == 0) return;
        using var rowIndex = tensor(rows.ToArray(), device: logProbs.device);
        using var tokenIndex = tensor(tokens.ToArray(), device: logProbs.device);
        logProbs.index_put_(double.NegativeInfinity, TensorIndex.Tensor(rowIndex), TensorIndex.Tensor(tokenIndex));
    }
}
