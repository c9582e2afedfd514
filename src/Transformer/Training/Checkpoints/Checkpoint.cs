// One saved training state: checkpoints/step-N/ with model.safetensors, optimizer.safetensors and
// trainer.json. Written into a hidden temporary directory and renamed into place, so a crash never
// leaves a half-written checkpoint under a name that could be picked up.
using Transformer.Engine;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public static class Checkpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string TrainerFile = "trainer.json";
    private const string OptimizerMetadataKey = "optimizer";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes model, optimizer and trainer state to <paramref name="directory"/> atomically; an existing
    /// checkpoint of that name is replaced only once the new one is complete.</summary>
    public static void Save(string directory, nn.Module model, optim.Optimizer optimizer, TrainerState state)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{directory} has no parent directory");
        Directory.CreateDirectory(parent);
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            Safetensors.Save(Path.Combine(temporary, ModelFile), model.state_dict());
            var optimizerState = OptimizerStateDict.Capture(optimizer);
            try
            {
                Safetensors.Save(Path.Combine(temporary, OptimizerFile), optimizerState.Tensors,
                    new Dictionary<string, string> { [OptimizerMetadataKey] = optimizerState.Metadata });
            }
            finally
            {
                foreach (var t in optimizerState.Tensors.Values) t.Dispose();
            }
            WriteDurably(Path.Combine(temporary, TrainerFile), JsonSerializer.SerializeToUtf8Bytes(state, Json));
            if (Directory.Exists(full))
            {
                var old = Path.Combine(parent, $".{Path.GetFileName(full)}.old-{Guid.NewGuid():N}");
                Directory.Move(full, old);
                Directory.Move(temporary, full);
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(temporary, full);
        }
        catch (Exception e)
        {
            try
            {
                if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            }
            catch (IOException) { }   // a full or failing disk: the hidden temporary is cleaned up on the next open
            if (e is IOException or UnauthorizedAccessException)
                throw EnvironmentException.FileSystem(directory, "write the checkpoint (the checkpoints before it are intact)", e);
            throw;
        }
    }

    /// <summary>Reads trainer.json, checking that the directory is a complete checkpoint.</summary>
    public static TrainerState ReadState(string directory)
    {
        CheckComplete(directory);
        var path = Path.Combine(directory, TrainerFile);
        TrainerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"not valid trainer state JSON ({ErrorText.Json(e)})", e);
        }
        if (state is null) throw new CheckpointException(path, "empty trainer state");
        if (state.FormatVersion != TrainerState.CurrentFormatVersion)
            throw new CheckpointException(path, $"format version {state.FormatVersion} is not supported (this build reads version {TrainerState.CurrentFormatVersion})");
        return state;
    }

    /// <summary>Copies the saved weights into <paramref name="model"/>; every missing, unexpected or mis-shaped tensor is reported at once.</summary>
    public static void LoadModel(string directory, nn.Module model)
    {
        CheckComplete(directory);
        var path = Path.Combine(directory, ModelFile);
        using var file = Load(path);
        try
        {
            ModelWeights.Load(model, file.Tensors);
        }
        catch (WeightsMismatchException e)
        {
            throw new CheckpointException(path, $"does not fit this model (was the config's model section changed?): {e.Message}", e) { Details = e.Details };
        }
    }

    public static void LoadOptimizer(string directory, optim.Optimizer optimizer)
    {
        CheckComplete(directory);
        var path = Path.Combine(directory, OptimizerFile);
        using var file = Load(path);
        if (!file.Metadata.TryGetValue(OptimizerMetadataKey, out var metadata))
            throw new CheckpointException(path, "has no optimizer metadata");
        try
        {
            new OptimizerStateDict(file.Tensors, metadata).Restore(optimizer);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, $"does not fit this optimizer: {e.Message}", e);
        }
    }

    /// <summary>A checkpoint directory holds all three files; anything else is refused before loading.</summary>
    public static void CheckComplete(string directory)
    {
        if (!Directory.Exists(directory)) throw new CheckpointException(directory, "no such checkpoint directory");
        var missing = new[] { ModelFile, OptimizerFile, TrainerFile }.Where(f => !File.Exists(Path.Combine(directory, f))).ToArray();
        if (missing.Length > 0) throw new CheckpointException(directory, $"incomplete checkpoint: missing {string.Join(", ", missing)}");
    }

    private static SafetensorsFile Load(string path)
    {
        try
        {
            return Safetensors.Load(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(path, e.Problem, e);
        }
    }

    private static void WriteDurably(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
