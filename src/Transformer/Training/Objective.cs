// The training loss of each model kind — token-level cross entropy (with label smoothing, padding
// ignored) for sequence models, example-level for classifiers — and the counts metrics need.
using Transformer.Data.Batching;
using Transformer.Models;
using static Transformer.Torch.torch;

namespace Transformer.Training;

public static class Objective
{
    /// <summary>Mean loss over real target tokens, plus their count and how many the argmax predicts correctly.</summary>
    public sealed record Result(Tensor Loss, Tensor Logits, long Tokens, long Correct);

    public static Result Compute(nn.Module model, Batch batch, double labelSmoothing)
    {
        // Batches are built on the CPU; a model elsewhere (cuda:N) gets copies on its device.
        var device = model.parameters().First().device;
        Tensor On(Tensor t) => t.device == device ? t : t.to(device);
        switch (model, batch)
        {
            case (EncoderDecoder m, Seq2SeqBatch b):
                return TokenLoss(m.forward(On(b.Source), On(b.TargetInput)), On(b.TargetOutput), m.Config.PadIndex, labelSmoothing);
            case (DecoderOnly m, LanguageModelBatch b):
                return TokenLoss(m.forward(On(b.Input)), On(b.Target), m.Config.PadIndex, labelSmoothing);
            case (EncoderClassifier m, ClassificationBatch b):
            {
                var logits = m.forward(On(b.Tokens));                                          // (B, C)
                var labels = On(b.Labels);
                var loss = nn.functional.cross_entropy(logits, labels, label_smoothing: labelSmoothing);
                using var predicted = logits.argmax(-1);
                using var hits = predicted.eq(labels);
                return new Result(loss, logits, b.Labels.size(0), hits.sum().item<long>());
            }
            default:
                throw new ArgumentException($"a {batch.GetType().Name} cannot train a {model.GetType().Name}");
        }
    }

    private static Result TokenLoss(Tensor logits, Tensor target, long padIndex, double labelSmoothing)
    {
        var vocab = logits.size(-1);
        using var flatLogits = logits.view(-1, vocab);                                        // (B·T, V)
        using var flatTarget = target.reshape(-1);                                            // (B·T)
        var loss = nn.functional.cross_entropy(flatLogits, flatTarget, ignore_index: padIndex, label_smoothing: labelSmoothing);
        using var real = flatTarget.ne(padIndex);
        using var predicted = flatLogits.argmax(-1);
        using var hits = predicted.eq(flatTarget) & real;
        return new Result(loss, logits, real.sum().item<long>(), hits.sum().item<long>());
    }
}
