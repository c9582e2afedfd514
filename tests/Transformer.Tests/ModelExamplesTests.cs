// The report's examples: taken in the split's order, texts cut where padding starts, outputs as the model gives them.
using Transformer.Data.Batching;
using Transformer.Reporting;
using static TorchSharp.torch;

namespace Transformer.Tests;

public class ModelExamplesTests
{
    private static string Letters(IEnumerable<int> ids) => string.Concat(ids.Select(i => (char)('a' + i)));

    [Fact]
    public void A_classifiers_examples_pair_each_text_with_its_label_and_the_most_likely_one()
    {
        using var scope = NewDisposeScope();
        using var model = EncoderClassifier.Build(new EncoderClassifierConfig
        {
            VocabSize = 9, NumClasses = 3, DModel = 8, Heads = 2, DFeedForward = 16, Layers = 1, Dropout = 0, MaxPositions = 16, PadIndex = 0,
        }, seed: 5);
        long[,] rows = { { 3, 4, 5, 0 }, { 6, 7, 8, 2 }, { 1, 2, 0, 0 } };
        var tokens = tensor(rows.Cast<long>().ToArray(), new long[] { 3, 4 });
        var batch = new ClassificationBatch
        {
            Tokens = tokens, Padding = tokens.eq(0), Labels = tensor(new long[] { 2, 0, 1 }),
            Examples = [0, 1, 2], At = DataCursor.Start, Next = DataCursor.Start, RealTokens = 9,
        };
        model.eval();
        var expected = model.forward(tokens).argmax(-1).data<long>().ToArray();   // what the model predicts, asked directly
        string[] labels = ["ham", "spam", "other"];

        var examples = ModelExamples.Classifier(model, [batch], count: 2, labels, pad: 0, Letters, maxChars: 3);
        Assert.Equal(2, examples.Count);
        Assert.Equal(new[] { "def", "ghi…" }, examples.Select(e => e.Input));          // cut at padding; then at 3 characters
        Assert.Equal(new[] { "other", "ham" }, examples.Select(e => e.Reference));
        Assert.Equal(expected.Take(2).Select(p => labels[p]), examples.Select(e => e.Output));
    }

    [Fact]
    public void A_language_models_examples_continue_a_prompt_for_as_long_as_the_reference_and_are_not_judged()
    {
        using var scope = NewDisposeScope();
        using var model = DecoderOnly.Build(new DecoderOnlyConfig
        {
            VocabSize = 11, DModel = 8, Heads = 2, DFeedForward = 16, Layers = 1, Dropout = 0, MaxPositions = 32,
        }, seed: 6);
        var window = Enumerable.Range(1, 10).Select(i => (long)i).ToArray();       // 0 is padding, never in a prompt
        var input = tensor(window.Concat(window.Select(t => t % 10 + 1)).ToArray(), new long[] { 2, 10 });
        var batch = new LanguageModelBatch
        {
            Input = input, Target = input.clone(), Examples = [0, 1], At = DataCursor.Start, Next = DataCursor.Start, RealTokens = 20,
        };
        var examples = ModelExamples.DecoderOnly(model, [batch], count: 2, promptTokens: 4, continuationTokens: 3, Letters);
        Assert.Equal(new[] { "bcde", "cdef" }, examples.Select(e => e.Input));
        Assert.Equal(new[] { "fgh", "ghi" }, examples.Select(e => e.Reference));
        Assert.All(examples, e => Assert.Equal(3, e.Output.Length));
        Assert.All(examples, e => Assert.Null(e.Correct));
    }
}
