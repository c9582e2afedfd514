// Teacher-forced evaluation over the validation batches: loss (no label smoothing), perplexity and
// token accuracy (for classifiers: accuracy). Runs in eval mode without gradients.
using Transformer.Data.Batching;
using static TorchSharp.torch;

namespace Transformer.Training;

public static class Evaluator
{
    public static Dictionary<string, double> Evaluate(nn.Module model, IEnumerable<Batch> batches, string prefix = "valid_")
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double nll = 0;
            long tokens = 0, correct = 0;
            var classification = false;
            foreach (var batch in batches)
            {
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var result = Objective.Compute(model, batch, labelSmoothing: 0);
                    nll += result.Loss.item<float>() * (double)result.Tokens;
                    tokens += result.Tokens;
                    correct += result.Correct;
                    classification = batch is ClassificationBatch;
                }
            }
            if (tokens == 0) throw new InvalidOperationException("the validation split has no tokens to evaluate");
            var loss = nll / tokens;
            var metrics = new Dictionary<string, double> { [prefix + "loss"] = loss };
            if (classification) metrics[prefix + "accuracy"] = (double)correct / tokens;
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
