// Classification counts and the scores read off them: accuracy, per-class precision/recall/F1 and
// macro-F1. Rows are true classes, columns predicted classes (scikit-learn's layout).
using System.Globalization;
using System.Text;

namespace Transformer.Training.Metrics;

public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    public ConfusionMatrix(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException("a confusion matrix needs at least one class label");
        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"class label '{duplicate.Key}' appears twice");
        Labels = labels.ToArray();
        _counts = new long[labels.Count, labels.Count];
    }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Examples added so far.</summary>
    public long Total { get; private set; }

    /// <summary>Examples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    public void Add(int actual, int predicted)
    {
        CheckClass(actual, "true");
        CheckClass(predicted, "predicted");
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Adds a batch of aligned true and predicted class indices.</summary>
    public void Add(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"{actual.Length} true classes but {predicted.Length} predictions");
        }
        for (int i = 0; i < actual.Length; i++) Add(actual[i], predicted[i]);
    }

    /// <summary>Correct predictions / all predictions.</summary>
    public double Accuracy
    {
        get
        {
            CheckNotEmpty();
            long correct = 0;
            for (int c = 0; c < Labels.Count; c++) correct += _counts[c, c];
            return (double)correct / Total;
        }
    }

    /// <summary>Examples whose true class is <paramref name="label"/>.</summary>
    public long Support(int label)
    {
        CheckClass(label, "class");
        return Row(label);
    }

    /// <summary>Precision, recall, F1 and support of one class. A ratio whose denominator is 0 (a class
    /// never predicted, or never present) is 0, as scikit-learn reports it.</summary>
    public ClassScores Scores(int label)
    {
        CheckClass(label, "class");
        long truePositives = _counts[label, label];
        long predicted = Column(label), actual = Row(label);
        double precision = predicted == 0 ? 0.0 : (double)truePositives / predicted;
        double recall = actual == 0 ? 0.0 : (double)truePositives / actual;
        double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        return new ClassScores(Labels[label], precision, recall, f1, actual);
    }

    public IReadOnlyList<ClassScores> PerClass => Enumerable.Range(0, Labels.Count).Select(Scores).ToArray();

    /// <summary>The unweighted mean F1 over the classes that occur as a true class or as a prediction
    /// (scikit-learn's <c>f1_score(average="macro")</c> without an explicit label list): a class absent
    /// from the evaluation set and never predicted does not drag the mean to 0.</summary>
    public double MacroF1
    {
        get
        {
            CheckNotEmpty();
            var seen = Enumerable.Range(0, Labels.Count).Where(c => Row(c) > 0 || Column(c) > 0).ToArray();
            return seen.Average(c => Scores(c).F1);
        }
    }

    /// <summary>The matrix as aligned text: one row per true class, one column per predicted class.</summary>
    public string ToText()
    {
        const string corner = "true \\ predicted";
        int labelWidth = Math.Max(corner.Length, Labels.Max(l => l.Length));
        var columnWidths = Enumerable.Range(0, Labels.Count)
            .Select(p => Math.Max(Labels[p].Length, Enumerable.Range(0, Labels.Count).Max(a => Format(_counts[a, p]).Length)))
            .ToArray();

        var text = new StringBuilder();
        text.Append(corner.PadRight(labelWidth));
        for (int p = 0; p < Labels.Count; p++) text.Append("  ").Append(Labels[p].PadLeft(columnWidths[p]));
        text.Append('\n');
        for (int a = 0; a < Labels.Count; a++)
        {
            text.Append(Labels[a].PadRight(labelWidth));
            for (int p = 0; p < Labels.Count; p++) text.Append("  ").Append(Format(_counts[a, p]).PadLeft(columnWidths[p]));
            text.Append('\n');
        }
        return text.ToString();
    }

    public override string ToString() => ToText();

    private static string Format(long count) => count.ToString(CultureInfo.InvariantCulture);

    private long Row(int actual)
    {
        long sum = 0;
        for (int p = 0; p < Labels.Count; p++) sum += _counts[actual, p];
        return sum;
    }

    private long Column(int predicted)
    {
        long sum = 0;
        for (int a = 0; a < Labels.Count; a++) sum += _counts[a, predicted];
        return sum;
    }

    private void CheckClass(int index, string role)
    {
        if ((uint)index >= (uint)Labels.Count)
        {
            throw new ArgumentException($"{role} class {index} is outside the {Labels.Count} labels (0..{Labels.Count - 1})");
        }
    }

    private void CheckNotEmpty()
    {
        if (Total == 0) throw new InvalidOperationException("classification scores of an empty set are undefined: no example was added");
    }
}
