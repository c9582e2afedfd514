// A reference system for pairs data that needs no training beyond reading the training split: it maps a
// source text to a target text, and is scored by GenerationEvaluator exactly as the model is.
namespace Transformer.Training.Baselines;

public interface IPairBaseline
{
    /// <summary>The name in metric keys: baseline_NAME_chrf.</summary>
    string Name { get; }

    /// <summary>The baseline's output for <paramref name="source"/>; empty when it has nothing to say.</summary>
    string Predict(string source);
}
