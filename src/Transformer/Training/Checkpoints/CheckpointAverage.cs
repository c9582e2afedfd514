// Checkpoint averaging (as fairseq's average_checkpoints.py): the element-wise mean of the model weights of several
// checkpoints of one run, written as a complete checkpoint (the newest source's optimizer and trainer state are
// copied, so evaluate, generate and info accept it) with averaged.json naming its sources.
using Transformer.Engine;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

public static class CheckpointAverage
{
    public const string SourcesFile = "averaged.json";

    /// <summary>Averages the models of <paramref name="sources"/> (oldest first) into <paramref name="destination"/>,
    /// atomically. Floating-point tensors are averaged in float64 and stored in their own dtype; other tensors must be
    /// equal in every source. Sources must hold the same tensor names, shapes and dtypes.</summary>
    public static void Write(IReadOnlyList<string> sources, string destination)
    {
        if (sources.Count == 0) throw new ArgumentException("no checkpoints to average", nameof(sources));
        foreach (var source in sources) Checkpoint.CheckComplete(source);
        using var scope = NewDisposeScope();
        var sums = new OrderedDictionary<string, Tensor>();
        var dtypes = new Dictionary<string, ScalarType>();
        for (var i = 0; i < sources.Count; i++)
        {
            var path = Path.Combine(sources[i], Checkpoint.ModelFile);
            using var file = Load(path);
            if (i > 0 && file.Tensors.Count != sums.Count)
                throw new CheckpointException(path, $"has {file.Tensors.Count} tensors, {sources[0]} has {sums.Count}: not checkpoints of one model");
            foreach (var (name, tensor) in file.Tensors)
            {
                if (i == 0)
                {
                    dtypes[name] = tensor.dtype;
                    sums[name] = tensor.is_floating_point() ? tensor.to(float64) : tensor.clone();
                    continue;
                }
                if (!sums.TryGetValue(name, out var sum)) throw new CheckpointException(path, $"has a tensor '{name}' that {sources[0]} lacks");
                if (tensor.dtype != dtypes[name] || !tensor.shape.SequenceEqual(sum.shape))
                    throw new CheckpointException(path, $"tensor '{name}' is {tensor.dtype} [{string.Join(", ", tensor.shape)}], in {sources[0]} {dtypes[name]} [{string.Join(", ", sum.shape)}]");
                if (tensor.is_floating_point()) sum.add_(tensor.to(float64));
                else if (!tensor.Identical(sum)) throw new CheckpointException(path, $"non-floating tensor '{name}' differs from {sources[0]}; it cannot be averaged");
            }
        }
        var averaged = sums.Select(kv => new KeyValuePair<string, Tensor>(kv.Key,
            dtypes[kv.Key] is var dtype && kv.Value.is_floating_point() ? (kv.Value / sources.Count).to(dtype) : kv.Value)).ToList();

        var full = Path.GetFullPath(destination);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{destination} has no parent directory");
        var temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            Safetensors.Save(Path.Combine(temporary, Checkpoint.ModelFile), averaged);
            var newest = sources[^1];
            File.Copy(Path.Combine(newest, Checkpoint.OptimizerFile), Path.Combine(temporary, Checkpoint.OptimizerFile));
            File.Copy(Path.Combine(newest, Checkpoint.TrainerFile), Path.Combine(temporary, Checkpoint.TrainerFile));
            File.WriteAllText(Path.Combine(temporary, SourcesFile), JsonSerializer.Serialize(new { sources = sources.Select(Path.GetFileName).ToArray() }));
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(temporary, full);
        }
        catch
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw;
        }
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
}
