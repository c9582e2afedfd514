// Teacher-forced evaluation over the validation batches: loss (no label smoothing), perplexity and
// token accuracy (for classifiers: accuracy; for masked language models mlm_perplexity and mlm_accuracy, over the
// chosen positions). Runs in eval mode without gradients. Under several ranks each
// evaluates every size-th batch and the sums are all-reduced, so every rank gets the whole split's metrics.
using Transformer.Data.Batching;
using Transformer.Distributed;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class Evaluator
{
    public static Dictionary<string, double> Evaluate(nn.Module model, IEnumerable<Batch> batches, string prefix = "valid_",
        ICommunicator? communicator = null)
    {
        var (rank, size) = communicator is null ? (0, 1) : (communicator.Rank, communicator.Size);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double nll = 0;
            long tokens = 0, correct = 0;
            var classification = false;
            var masked = false;
            var index = 0;
            foreach (var batch in batches)
            {
                classification = batch is ClassificationBatch;
                masked = batch is MaskedLanguageModelBatch;
                if (index++ % size != rank)
                {
                    batch.Dispose();
                    continue;
                }
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var result = Objective.Compute(model, batch, labelSmoothing: 0);
                    nll += result.Loss.item<float>() * (double)result.Tokens;
                    tokens += result.Tokens;
                    correct += result.Correct;
                }
            }
            if (size > 1)
            {
                Span<double> totals = [nll, tokens, correct];
                communicator!.AllReduceSum(totals);
                (nll, tokens, correct) = (totals[0], (long)totals[1], (long)totals[2]);
            }
            if (tokens == 0) throw new InvalidOperationException("the validation split has no tokens to evaluate");
            var loss = nll / tokens;
            var metrics = new Dictionary<string, double> { [prefix + "loss"] = loss };
            if (classification) metrics[prefix + "accuracy"] = (double)correct / tokens;
            else if (masked)
            {
                metrics[prefix + "mlm_perplexity"] = Math.Exp(loss);
                metrics[prefix + "mlm_accuracy"] = (double)correct / tokens;
            }
            else
            {
                metrics[prefix + "perplexity"] = Math.Exp(loss);
                metrics[prefix + "token_accuracy"] = (double)correct / tokens;
            }
            return metrics;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
