namespace Transformer.Training.Metrics;

/// <param name="Support">Examples whose true class this is.</param>
public sealed record ClassScores(string Label, double Precision, double Recall, double F1, long Support);
