// A few examples of a model at work on a data split, for the run report: what it was given, what was expected,
// and what it produced (greedy decoding; a classifier's most likely label; a masked language model's most likely token
// at each chosen position). Rows are taken in the split's order,
// so a report made twice shows the same examples.
using Transformer.Data.Batching;
using Transformer.Models;
using Transformer.Models.Decoding;
using static TorchSharp.torch;

namespace Transformer.Reporting;

public static class ModelExamples
{
    /// <summary>How token ids become text (a tokenizer's Decode, or a built-in task's).</summary>
    public delegate string Detokenize(IEnumerable<int> ids);

    /// <param name="special">Ids of the task: padding, the start token the decoder begins with, and the end token.</param>
    public static IReadOnlyList<ReportExample> EncoderDecoder(EncoderDecoder model, IEnumerable<Seq2SeqBatch> batches, int count,
        (int pad, int bos, int eos) special, Detokenize text, int maxLength)
    {
        var rows = new List<(long[] source, long[] target)>();
        foreach (var batch in batches)
            using (batch)
            {
                var (width, targetWidth) = ((int)batch.Source.size(1), (int)batch.TargetOutput.size(1));
                var sources = batch.Source.data<long>().ToArray();
                var targets = batch.TargetOutput.data<long>().ToArray();
                for (var r = 0; r < batch.Rows && rows.Count < count; r++)
                    rows.Add((Until(sources.AsSpan(r * width, width), special.pad, null),
                        Until(targets.AsSpan(r * targetWidth, targetWidth), special.pad, special.eos)));
                if (rows.Count == count) break;
            }
        if (rows.Count == 0) return [];
        return Evaluating(model, () =>
        {
            using var scope = NewDisposeScope();
            var width = rows.Max(r => r.source.Length);
            var padded = new long[rows.Count * width];
            Array.Fill(padded, special.pad);
            for (var i = 0; i < rows.Count; i++) rows[i].source.CopyTo(padded, i * width);
            using var stepper = new EncoderDecoderStepper(model, tensor(padded, new long[] { rows.Count, width }), special.bos);
            var outputs = GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = Math.Min(maxLength, model.Config.MaxPositions - 1), Eos = special.eos });
            return rows.Select((r, i) => new ReportExample(Text(text, r.source), Text(text, r.target), Text(text, outputs[i].Tokens))).ToList();
        });
    }

    /// <summary>Each example: the first <paramref name="promptTokens"/> tokens of a window as the prompt, the window's
    /// next tokens as the reference, and the model's greedy continuation of the same length.</summary>
    public static IReadOnlyList<ReportExample> DecoderOnly(DecoderOnly model, IEnumerable<LanguageModelBatch> batches, int count,
        int promptTokens, int continuationTokens, Detokenize text)
    {
        var windows = new List<long[]>();
        foreach (var batch in batches)
            using (batch)
            {
                var width = (int)batch.Input.size(1);
                var ids = batch.Input.data<long>().ToArray();
                for (var r = 0; r < batch.Rows && windows.Count < count; r++) windows.Add(ids.AsSpan(r * width, width).ToArray());
                if (windows.Count == count) break;
            }
        var prompt = Math.Min(promptTokens, windows.Count == 0 ? 0 : windows.Min(w => w.Length) - 1);
        if (prompt < 1) return [];
        var length = Math.Min(continuationTokens, model.Config.MaxPositions - prompt);
        return Evaluating(model, () => windows.Select(w =>
        {
            using var scope = NewDisposeScope();
            var head = w[..prompt];
            var reference = w[prompt..Math.Min(w.Length, prompt + length)];
            using var stepper = DecoderOnlyStepper.Create(model, [head]);
            var output = GreedySearch.Decode(stepper, new GreedyOptions { MaxLength = reference.Length })[0].Tokens;
            return new ReportExample(Text(text, head), Text(text, reference), Text(text, output), Judged: false);   // a continuation, not an answer
        }).ToList());
    }

    /// <summary>Each example: the text (cut to <paramref name="maxChars"/> characters), its label and the predicted one.</summary>
    public static IReadOnlyList<ReportExample> Classifier(EncoderClassifier model, IEnumerable<ClassificationBatch> batches, int count,
        IReadOnlyList<string> labels, int pad, Detokenize text, int maxChars = 240)
    {
        var examples = new List<ReportExample>();
        return Evaluating(model, () =>
        {
            using var noGrad = no_grad();
            foreach (var batch in batches)
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var width = (int)batch.Tokens.size(1);
                    var tokens = batch.Tokens.data<long>().ToArray();
                    var predicted = model.forward(batch.Tokens).argmax(-1).data<long>().ToArray();
                    var actual = batch.Labels.data<long>().ToArray();
                    for (var r = 0; r < batch.Rows && examples.Count < count; r++)
                    {
                        var input = Text(text, Until(tokens.AsSpan(r * width, width), pad, null));
                        if (input.Length > maxChars) input = input[..maxChars] + "…";
                        examples.Add(new ReportExample(input, labels[(int)actual[r]], labels[(int)predicted[r]]));
                    }
                    if (examples.Count == count) break;
                }
            return examples;
        });
    }

    /// <summary>Each example: the start of a row (<paramref name="tokens"/> tokens after BOS) as the model saw it, special
    /// tokens shown (so the masks are); the original text there; and the text with the model's most likely token at every
    /// chosen position.</summary>
    public static IReadOnlyList<ReportExample> MaskedLanguageModel(EncoderMlm model, IEnumerable<MaskedLanguageModelBatch> batches, int count,
        Detokenize text, Detokenize withSpecialTokens, int tokens = 48)
    {
        var examples = new List<ReportExample>();
        return Evaluating(model, () =>
        {
            foreach (var batch in batches)
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var width = (int)batch.Input.size(1);
                    var input = batch.Input.data<long>().ToArray();
                    var labels = batch.Labels.data<long>().ToArray();
                    var predicted = model.forward(batch.Input).argmax(-1).data<long>().ToArray();   // (B, T)
                    var shown = Math.Min(width, tokens + 1);
                    for (var r = 0; r < batch.Rows && examples.Count < count; r++)
                    {
                        var at = Enumerable.Range(r * width + 1, shown - 1).ToArray();              // after BOS
                        bool Chosen(int i) => labels[i] != MlmMasking.IgnoreIndex;
                        examples.Add(new ReportExample(
                            withSpecialTokens(at.Select(i => (int)input[i])),
                            text(at.Select(i => (int)(Chosen(i) ? labels[i] : input[i]))),
                            text(at.Select(i => (int)(Chosen(i) ? predicted[i] : input[i])))));
                    }
                    if (examples.Count == count) break;
                }
            return examples;
        });
    }

    private static T Evaluating<T>(nn.Module model, Func<T> run)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            return run();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static string Text(Detokenize text, IEnumerable<long> ids) => text(ids.Select(t => (int)t));

    private static long[] Until(ReadOnlySpan<long> row, long pad, long? stop) => Training.GenerationEvaluator.Until(row, pad, stop);
}
