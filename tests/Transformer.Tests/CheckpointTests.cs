// Checkpoints: exact round trip of model, optimizer and trainer state; atomic replacement; retention.
using Transformer.Engine;
using Transformer.Training.Checkpoints;

namespace Transformer.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static DecoderOnly TinyModel(long seed) =>
        DecoderOnly.Build(new DecoderOnlyConfig { VocabSize = 13, DModel = 8, Heads = 2, DFeedForward = 16, Layers = 1, Dropout = 0 }, seed);

    private static void TrainSteps(DecoderOnly model, optim.Optimizer optimizer, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var tokens = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, new long[] { 1, 6 });
            var logits = model.forward(tokens);
            nn.functional.cross_entropy(logits.view(-1, 13), tensor(new long[] { 2, 3, 4, 5, 6, 7 })).backward();
            optimizer.step();
        }
    }

    [Fact]
    public void A_saved_checkpoint_restores_weights_optimizer_and_trainer_state_exactly()
    {
        using var model = TinyModel(1);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        TrainSteps(model, optimizer, 3);
        var state = new TrainerState { Step = 3, Epoch = 1, BestMetric = "loss", BestValue = 1.5, BestStep = 3, TokensSeen = 18 };
        var dir = Path.Combine(root, "step-3");
        Checkpoint.Save(dir, model, optimizer, state);

        using var restored = TinyModel(2);
        using var restoredOptimizer = optim.AdamW(restored.parameters(), lr: 1e-2);
        Checkpoint.LoadModel(dir, restored);
        Checkpoint.LoadOptimizer(dir, restoredOptimizer);
        Assert.Equal(state, Checkpoint.ReadState(dir));

        TrainSteps(model, optimizer, 2);
        TrainSteps(restored, restoredOptimizer, 2);
        foreach (var ((name, a), (_, b)) in model.named_parameters().Zip(restored.named_parameters()))
            Assert.True(a.Identical(b), name);
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_loadable_and_no_temporary_files()
    {
        using var model = TinyModel(1);
        using var optimizer = optim.AdamW(model.parameters());
        var dir = Path.Combine(root, "step-1");
        Checkpoint.Save(dir, model, optimizer, new TrainerState { Step = 1 });
        var before = File.ReadAllBytes(Path.Combine(dir, Checkpoint.ModelFile));

        using var broken = TinyModel(3);
        using var brokenOptimizer = optim.AdamW(broken.parameters());
        // The model file is written, then copying the optimizer's state fails: the save fails half-way through.
        ((TorchSharp.Modules.AdamW.State)brokenOptimizer.state_dict().State[0]).exp_avg.Dispose();
        Assert.ThrowsAny<Exception>(void () => Checkpoint.Save(dir, broken, brokenOptimizer, new TrainerState { Step = 1 }));

        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, Checkpoint.ModelFile)));
        Assert.Equal(1, Checkpoint.ReadState(dir).Step);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root, ".*"));
    }

    [Fact]
    public void Incomplete_or_foreign_checkpoints_are_refused_with_the_reason()
    {
        using var model = TinyModel(1);
        using var optimizer = optim.AdamW(model.parameters());
        var dir = Path.Combine(root, "step-1");
        Checkpoint.Save(dir, model, optimizer, new TrainerState { Step = 1 });

        using var other = DecoderOnly.Build(new DecoderOnlyConfig { VocabSize = 13, DModel = 16, Heads = 2, DFeedForward = 16, Layers = 1 }, 1);
        var mismatch = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModel(dir, other));
        Assert.Contains("does not fit this model", mismatch.Message);
        Assert.Contains("embed.weight is [13, 8] in the file, [13, 16] in the model", mismatch.Message);

        File.Delete(Path.Combine(dir, Checkpoint.OptimizerFile));
        var incomplete = Assert.Throws<CheckpointException>(() => Checkpoint.ReadState(dir));
        Assert.Contains("incomplete checkpoint: missing optimizer.safetensors", incomplete.Message);
    }

    [Fact]
    public void A_truncated_weights_file_is_refused_naming_the_file()
    {
        using var model = TinyModel(1);
        using var optimizer = optim.AdamW(model.parameters());
        var dir = Path.Combine(root, "step-1");
        Checkpoint.Save(dir, model, optimizer, new TrainerState { Step = 1 });
        var weights = Path.Combine(dir, Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModel(dir, model));
        Assert.StartsWith(weights, e.Message);
    }

    [Fact]
    public void The_store_keeps_the_last_checkpoints_and_the_best_and_ignores_interrupted_saves()
    {
        using var model = TinyModel(1);
        using var optimizer = optim.AdamW(model.parameters());
        var store = new CheckpointStore(root);
        foreach (var step in new long[] { 10, 20, 30, 40 })
            Checkpoint.Save(store.PathFor(step), model, optimizer, new TrainerState { Step = step });
        Directory.CreateDirectory(Path.Combine(root, "step-50"));                      // a half-written checkpoint
        store.MarkBest(20);
        store.Prune(keepLast: 2);
        Assert.Equal(new long[] { 20, 30, 40 }, store.List().Select(c => c.step));
        Assert.Equal(store.PathFor(20), store.Best);
        Assert.Equal(40, store.Latest!.Value.step);
        Assert.Equal(20, Checkpoint.ReadState(Path.Combine(root, CheckpointStore.BestLink)).Step);
    }
}
