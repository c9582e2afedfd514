using Transformer.Training.Metrics;

namespace Transformer.Tests;

// Fixtures from scikit-learn's documentation examples of confusion_matrix, f1_score, precision_score
// and recall_score.
public class MetricClassificationTests
{
    private static ConfusionMatrix Matrix(int[] actual, int[] predicted, params string[] labels)
    {
        var matrix = new ConfusionMatrix(labels);
        matrix.Add(actual, predicted);
        return matrix;
    }

    [Fact]
    public void Rows_are_true_classes_and_columns_predictions_as_in_scikit_learn()
    {
        var matrix = Matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], "0", "1", "2");
        long[,] expected = { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 2 } };
        for (int a = 0; a < 3; a++)
        {
            for (int p = 0; p < 3; p++) Assert.Equal(expected[a, p], matrix[a, p]);
        }
        Assert.Equal(4.0 / 6, matrix.Accuracy, 1e-15);
    }

    [Fact]
    public void Per_class_and_macro_scores_match_scikit_learn()
    {
        var matrix = Matrix([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], "a", "b", "c");
        var scores = matrix.PerClass;
        Assert.Equal([2.0 / 3, 0, 0], scores.Select(s => s.Precision), new ToleranceComparer(1e-15));
        Assert.Equal([1.0, 0, 0], scores.Select(s => s.Recall), new ToleranceComparer(1e-15));
        Assert.Equal([0.8, 0, 0], scores.Select(s => s.F1), new ToleranceComparer(1e-15));
        Assert.Equal(0.26666666666666666, matrix.MacroF1, 1e-15);
        Assert.Equal(2.0 / 6, matrix.Accuracy, 1e-15);
        Assert.Equal(new ClassScores("b", 0, 0, 0, 2), scores[1]);
    }

    [Fact]
    public void Macro_f1_skips_classes_that_neither_occur_nor_are_predicted()
    {
        // Only cat and dog appear: F1(cat) = 2·(2/3·1)/(2/3+1) = 0.8, F1(dog) = 2·(1·1/2)/(1+1/2) = 2/3.
        var matrix = Matrix([0, 0, 1, 1], [0, 0, 0, 1], "cat", "dog", "bird");
        Assert.Equal((0.8 + 2.0 / 3) / 2, matrix.MacroF1, 1e-15);
        Assert.Equal(new ClassScores("bird", 0, 0, 0, 0), matrix.Scores(2));
    }

    [Fact]
    public void All_correct_scores_one()
    {
        var matrix = Matrix([0, 1, 2, 1], [0, 1, 2, 1], "x", "y", "z");
        Assert.Equal((1.0, 1.0), (matrix.Accuracy, matrix.MacroF1));
    }

    [Fact]
    public void Renders_the_matrix_with_label_names()
    {
        var matrix = Matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 1, 0], "cat", "dog", "bird");
        Assert.Equal(
            "true \\ predicted  cat  dog  bird\n" +
            "cat                 1    1     0\n" +
            "dog                 0    3     0\n" +
            "bird                1    0     0\n",
            matrix.ToText());
    }

    [Fact]
    public void Invalid_labels_classes_and_empty_matrices_are_errors()
    {
        Assert.Equal("class label 'a' appears twice", Assert.Throws<ArgumentException>(() => new ConfusionMatrix(["a", "b", "a"])).Message);
        var matrix = new ConfusionMatrix(["a", "b"]);
        Assert.Equal("predicted class 2 is outside the 2 labels (0..1)", Assert.Throws<ArgumentException>(() => matrix.Add(0, 2)).Message);
        Assert.Equal("classification scores of an empty set are undefined: no example was added",
            Assert.Throws<InvalidOperationException>(() => matrix.Accuracy).Message);
        Assert.Throws<ArgumentException>(() => matrix.Add([0, 1], [0]));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
