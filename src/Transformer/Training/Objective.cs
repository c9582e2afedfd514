// The training loss of each model kind — token-level cross entropy (with label smoothing, padding
// ignored) for sequence models, example-level for classifiers, over the chosen positions only for masked
// language models — and the counts metrics need.
using Transformer.Engine;
using Transformer.Data.Batching;
using Transformer.Models;
using static TorchSharp.torch;

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
                var loss = Fused.cross_entropy(logits, On(b.Labels), out var examples, out var correct, label_smoothing: labelSmoothing);
                return new Result(loss, logits, examples, correct);
            }
            case (EncoderMlm m, MaskedLanguageModelBatch b):
                return MaskedTokenLoss(m, On(b.Input), On(b.Labels), labelSmoothing);
            default:
                throw new ArgumentException($"a {batch.GetType().Name} cannot train a {model.GetType().Name}");
        }
    }

    /// <summary>Cross entropy over the chosen positions alone: the head runs on their hidden states (N, D) only, so
    /// positions that were not chosen contribute nothing, not even logits. Result.Logits are the chosen positions'
    /// (N, V), in row-major order. A batch with nothing chosen has loss 0 (kept in the graph) and 0 tokens.</summary>
    private static Result MaskedTokenLoss(EncoderMlm model, Tensor input, Tensor labels, double labelSmoothing)
    {
        using var hidden = model.Encode(input);                                             // (B, T, D)
        using var chosen = labels.ne(MlmMasking.IgnoreIndex);                               // (B, T)
        using var picked = hidden[chosen];                                                  // (N, D)
        var logits = model.Predict(picked);                                                 // (N, V)
        using var targets = labels[chosen];                                                 // (N)
        if (targets.numel() == 0) return new Result(hidden.sum() * 0, logits, 0, 0);
        var loss = Fused.cross_entropy(logits, targets, out var tokens, out var correct, label_smoothing: labelSmoothing);
        return new Result(loss, logits, tokens, correct);
    }

    private static Result TokenLoss(Tensor logits, Tensor target, long padIndex, double labelSmoothing)
    {
        using var flatLogits = logits.view(-1, logits.size(-1));                              // (B·T, V)
        using var flatTarget = target.reshape(-1);                                            // (B·T)
        // One fused pass: loss over the non-padding targets, their count and the argmax hits.
        var loss = Fused.cross_entropy(flatLogits, flatTarget, out var tokens, out var correct, padIndex, labelSmoothing);
        return new Result(loss, logits, tokens, correct);
    }
}
