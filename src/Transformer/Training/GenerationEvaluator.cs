// Metrics that need outputs, not just teacher-forced losses: each distinct source of a seq2seq split is
// decoded once (greedy or beam) and scored against all its references — exact match, corpus BLEU and
// chrF on the detokenized text (sacreBLEU's definitions), and for token-level tasks such as G2P the word
// and phoneme error rates (a word is right if it matches any reference; PER against the closest one).
// Classifiers get accuracy and macro-F1 from a confusion matrix.
using Transformer.Data.Batching;
using Transformer.Models;
using Transformer.Models.Decoding;
using Transformer.Text;
using Transformer.Training.Baselines;
using Transformer.Training.Metrics;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class GenerationEvaluator
{
    /// <param name="maxExamples">Score only the first N distinct sources, or all when null.</param>
    /// <param name="noRepeatNgramSize">No n-gram of this size twice in an output (<see cref="DecodingOptions.NoRepeatNgramSize"/>); 0: off.</param>
    /// <param name="baselines">Reference systems scored on the same sources and references with the same metrics
    /// (keys baseline_NAME_exact_match, _bleu, _chrf); they see the decoded source text.</param>
    public static Dictionary<string, double> EncoderDecoder(EncoderDecoder model, TextTokenizer tokenizer, IEnumerable<Seq2SeqBatch> batches,
        int beam, int maxLength, bool tokenErrorRates, int? maxExamples = null, IReadOnlyList<IPairBaseline>? baselines = null, int noRepeatNgramSize = 0)
    {
        baselines ??= [];
        var eos = tokenizer.EosId ?? throw new InvalidOperationException("the tokenizer has no <eos> token to end generation");
        var bos = tokenizer.BosId ?? eos;
        // Group the references of each distinct source (alternate pronunciations, several translations).
        var groups = new Dictionary<string, (long[] source, List<long[]> references)>();
        foreach (var batch in batches)
            using (batch)
            {
                var (rows, sourceWidth, targetWidth) = (batch.Rows, (int)batch.Source.size(1), (int)batch.TargetOutput.size(1));
                var sources = batch.Source.data<long>().ToArray();
                var targets = batch.TargetOutput.data<long>().ToArray();
                for (var r = 0; r < rows; r++)
                {
                    var source = Until(sources.AsSpan(r * sourceWidth, sourceWidth), tokenizer.PadId, null);
                    var target = Until(targets.AsSpan(r * targetWidth, targetWidth), tokenizer.PadId, eos);
                    var key = string.Join(',', source);
                    if (!groups.TryGetValue(key, out var group)) groups[key] = group = (source, new List<long[]>());
                    group.references.Add(target);
                }
            }
        if (groups.Count == 0) throw new InvalidOperationException("the split has no examples to evaluate");
        var selected = maxExamples is { } n ? groups.Values.Take(n).ToList() : groups.Values.ToList();

        var wasTraining = model.training;
        model.eval();
        try
        {
            long exact = 0;
            var bleu = new CorpusBleu();
            var chrf = new CorpusChrf();
            var rates = new PronunciationErrorRates();
            var anchors = baselines.Select(b => (Baseline: b, Bleu: new CorpusBleu(), Chrf: new CorpusChrf(), Exact: new long[1])).ToList();
            foreach (var chunk in selected.Chunk(64))
            {
                using var scope = NewDisposeScope();
                var width = chunk.Max(g => g.source.Length);
                var padded = new long[chunk.Length * width];
                Array.Fill(padded, (long)(tokenizer.PadId ?? 0));
                for (var i = 0; i < chunk.Length; i++) chunk[i].source.CopyTo(padded, i * width);
                using var stepper = new EncoderDecoderStepper(model, tensor(padded, new long[] { chunk.Length, width }), bos);
                var limit = Math.Min(maxLength, model.Config.MaxPositions - 1);
                var outputs = beam > 1
                    ? BeamSearch.Decode(stepper, new BeamSearchOptions { BeamSize = beam, MaxLength = limit, Eos = eos, NoRepeatNgramSize = noRepeatNgramSize })
                        .Select(n => n[0].Tokens).ToArray()
                    : GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = limit, Eos = eos, NoRepeatNgramSize = noRepeatNgramSize })
                        .Select(h => h.Tokens).ToArray();
                for (var i = 0; i < chunk.Length; i++)
                {
                    var references = chunk[i].references;
                    if (references.Any(r => r.AsSpan().SequenceEqual(outputs[i]))) exact++;
                    string Text(long[] ids) => tokenizer.Decode(ids.Select(t => (int)t));
                    var referenceTexts = references.Select(Text).ToList();
                    bleu.Add(Text(outputs[i]), referenceTexts);
                    chrf.Add(Text(outputs[i]), referenceTexts);
                    if (anchors.Count > 0)
                    {
                        var sourceText = Text(chunk[i].source);
                        foreach (var anchor in anchors)
                        {
                            var hypothesis = anchor.Baseline.Predict(sourceText);
                            if (referenceTexts.Contains(hypothesis, StringComparer.Ordinal)) anchor.Exact[0]++;
                            anchor.Bleu.Add(hypothesis, referenceTexts);
                            anchor.Chrf.Add(hypothesis, referenceTexts);
                        }
                    }
                    if (tokenErrorRates)
                        rates.Add(outputs[i].Select(t => t.ToString()).ToList(), references.Select(r => (IReadOnlyList<string>)r.Select(t => t.ToString()).ToList()).ToList());
                }
            }
            var metrics = new Dictionary<string, double>
            {
                ["exact_match"] = (double)exact / selected.Count,
                ["bleu"] = bleu.Result.Score / 100,
                ["chrf"] = chrf.Result.Score / 100,
            };
            foreach (var anchor in anchors)
            {
                metrics[$"baseline_{anchor.Baseline.Name}_exact_match"] = (double)anchor.Exact[0] / selected.Count;
                metrics[$"baseline_{anchor.Baseline.Name}_bleu"] = anchor.Bleu.Result.Score / 100;
                metrics[$"baseline_{anchor.Baseline.Name}_chrf"] = anchor.Chrf.Result.Score / 100;
            }
            if (tokenErrorRates)
            {
                var score = rates.Result;
                metrics["wer"] = score.WordErrorRate;
                metrics["per"] = score.PhonemeErrorRate;
            }
            return metrics;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public static (Dictionary<string, double> metrics, ConfusionMatrix matrix) Classifier(EncoderClassifier model, IReadOnlyList<string> labels,
        IEnumerable<ClassificationBatch> batches)
    {
        var matrix = new ConfusionMatrix(labels);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var predicted = model.forward(batch.Tokens).argmax(-1).data<long>().ToArray().Select(p => (int)p).ToArray();
                    var actual = batch.Labels.data<long>().ToArray().Select(l => (int)l).ToArray();
                    matrix.Add(actual, predicted);
                }
        }
        finally
        {
            model.train(wasTraining);
        }
        var metrics = new Dictionary<string, double> { ["accuracy"] = matrix.Accuracy, ["macro_f1"] = matrix.MacroF1 };
        foreach (var scores in matrix.PerClass) metrics["f1_" + MetricName(scores.Label)] = scores.F1;     // e.g. f1_spam
        return (metrics, matrix);
    }

    /// <summary>A class label as part of a metric name: lower-case letters, digits and '_'.</summary>
    public static string MetricName(string label) =>
        new(label.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '_').ToArray());

    /// <summary>The ids of a padded row up to (not including) the first padding or <paramref name="stop"/> token.</summary>
    internal static long[] Until(ReadOnlySpan<long> row, long? pad, long? stop)
    {
        var end = 0;
        while (end < row.Length && row[end] != pad && row[end] != stop) end++;
        return row[..end].ToArray();
    }
}
