// Checkpoint averaging: the exact element-wise mean of the sources' weights, a complete checkpoint, and clear errors
// for checkpoints of different models.
using Transformer.Training;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class CheckpointAverageTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("average-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Save(string name, float weightValue, int outFeatures = 3)
    {
        using var model = nn.Linear(2, outFeatures);
        using (no_grad())
        {
            model.weight.fill_(weightValue);
            model.bias!.fill_(-weightValue);
        }
        using var optimizer = optim.AdamW(model.parameters());
        var path = Path.Combine(dir, name);
        Checkpoint.Save(path, model, optimizer, new TrainerState { Step = (long)weightValue });
        return path;
    }

    [Fact]
    public void The_average_is_the_elementwise_mean_and_a_complete_checkpoint()
    {
        var sources = new[] { Save("step-1", 1f), Save("step-2", 2f), Save("step-6", 6f) };
        var averaged = Path.Combine(dir, "average-last-3");
        CheckpointAverage.Write(sources, averaged);
        Checkpoint.CheckComplete(averaged);
        using var model = nn.Linear(2, 3);
        Checkpoint.LoadModel(averaged, model);
        Assert.All(model.weight.data<float>().ToArray(), v => Assert.Equal(3f, v));
        Assert.All(model.bias!.data<float>().ToArray(), v => Assert.Equal(-3f, v));
        Assert.Equal(6, Checkpoint.ReadState(averaged).Step);                      // the newest source's trainer state
        Assert.Contains("step-6", File.ReadAllText(Path.Combine(averaged, CheckpointAverage.SourcesFile)));
        Assert.Empty(Directory.EnumerateDirectories(dir, ".*"));                    // no temporary directory left
    }

    [Fact]
    public void Checkpoints_of_different_models_are_refused_naming_the_tensor()
    {
        var a = Save("step-1", 1f);
        var b = Save("step-2", 2f, outFeatures: 4);
        var e = Assert.Throws<CheckpointException>(() => CheckpointAverage.Write([a, b], Path.Combine(dir, "avg")));
        Assert.Matches(@"tensor '(weight|bias)' is Float32 \[4(, 2)?\], in .*step-1 Float32 \[3(, 2)?\]", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "avg")));
        Directory.Delete(b, recursive: true);
        Directory.CreateDirectory(b);
        Assert.Contains("incomplete checkpoint", Assert.Throws<CheckpointException>(() => CheckpointAverage.Write([a, b], Path.Combine(dir, "avg"))).Message);
    }
}
