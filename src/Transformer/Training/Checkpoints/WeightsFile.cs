// Model weights outside our checkpoints, as name → tensor: PyTorch state dicts (torch.save's zip format, read and
// written through TorchSharp.PyBridge) and safetensors files; our checkpoint and run directories read as their
// model.safetensors. Files are written through a temporary sibling and a rename, and never over an existing file
// unless asked.
using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using Transformer.Engine;
using static TorchSharp.torch;

namespace Transformer.Training.Checkpoints;

/// <summary>A weights file format.</summary>
public enum WeightsFormat
{
    /// <summary>A PyTorch state dict as torch.save writes it (.pt, .pth, .bin).</summary>
    Pt,
    /// <summary>safetensors.</summary>
    Safetensors,
}

/// <summary>Weights read from a file or checkpoint; disposing it frees the tensors.</summary>
public sealed class WeightsFile : IDisposable
{
    private static readonly string[] PtExtensions = [".pt", ".pth", ".bin"];
    // Keys under which training scripts commonly nest the state dict in what they torch.save.
    private static readonly string[] NestedKeys = ["state_dict", "model_state_dict", "model"];

    private readonly IDisposable? owner;

    private WeightsFile(string path, IReadOnlyDictionary<string, Tensor> tensors, bool fromCheckpoint, IDisposable? owner)
    {
        Path = path;
        Tensors = tensors;
        FromCheckpoint = fromCheckpoint;
        this.owner = owner;
    }

    /// <summary>The file the tensors came from (a checkpoint's model.safetensors for a checkpoint or run directory).</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, Tensor> Tensors { get; }

    /// <summary>Read from one of our checkpoints: the names are ours.</summary>
    public bool FromCheckpoint { get; }

    /// <summary>The format a file name's extension says: .safetensors, or .pt / .pth / .bin; null for any other.</summary>
    public static WeightsFormat? FormatOf(string path)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        return extension == ".safetensors" ? WeightsFormat.Safetensors : PtExtensions.Contains(extension) ? WeightsFormat.Pt : null;
    }

    /// <summary>Reads a PyTorch state dict (.pt, .pth, .bin), a .safetensors file, one of our checkpoint directories, or
    /// a run directory (its best checkpoint, else its latest). Every problem is a CheckpointException naming the path.</summary>
    public static WeightsFile Read(string path)
    {
        if (Directory.Exists(path)) return ReadCheckpoint(path);
        if (!File.Exists(path)) throw new CheckpointException(path, "no such file or directory");
        return FormatOf(path) switch
        {
            WeightsFormat.Safetensors => ReadSafetensors(path, fromCheckpoint: false),
            WeightsFormat.Pt => ReadPyTorch(path),
            _ => throw new CheckpointException(path, "unknown weights format: expected a .pt, .pth or .bin PyTorch state dict, a .safetensors file, or a checkpoint or run directory"),
        };
    }

    /// <summary>Writes <paramref name="tensors"/> (on any device) to <paramref name="path"/> in <paramref name="format"/>:
    /// a temporary file in the same directory is flushed and renamed into place. An existing file is replaced only
    /// with <paramref name="overwrite"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, WeightsFormat format, bool overwrite)
    {
        var target = System.IO.Path.GetFullPath(path);
        if (!overwrite && (File.Exists(target) || Directory.Exists(target)))
            throw new CheckpointException(path, "already exists (pass --force to replace it)");
        var directory = System.IO.Path.GetDirectoryName(target)!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var scope = NewDisposeScope())
            {
                // Dense CPU copies: the pickler writes each tensor's bytes as one storage with its own strides.
                var cpu = new Dictionary<string, Tensor>();
                foreach (var (name, tensor) in tensors) cpu[name] = tensor.detach().cpu().contiguous();
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                if (format == WeightsFormat.Pt) PyTorchPickler.PickleStateDict(stream, cpu, leaveOpen: true);
                else Engine.Safetensors.Save(stream, cpu);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            if (!overwrite && File.Exists(target)) throw new CheckpointException(path, "already exists (pass --force to replace it)");
            throw EnvironmentException.FileSystem(path, "write the weights", e);
        }
        catch
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    public void Dispose()
    {
        if (owner is not null) owner.Dispose();
        else foreach (var t in Tensors.Values) t.Dispose();
    }

    private static WeightsFile ReadCheckpoint(string directory)
    {
        var checkpoint = directory;
        var checkpoints = System.IO.Path.Combine(directory, "checkpoints");
        if (!File.Exists(System.IO.Path.Combine(directory, Checkpoint.ModelFile)) && Directory.Exists(checkpoints))
        {
            var store = new CheckpointStore(checkpoints, cleanUp: false);
            checkpoint = store.Best ?? store.Latest?.path ?? throw new CheckpointException(directory, "the run has no complete checkpoint yet");
        }
        else if (!File.Exists(System.IO.Path.Combine(directory, Checkpoint.ModelFile)))
            throw new CheckpointException(directory, $"neither a checkpoint (no {Checkpoint.ModelFile}) nor a run directory (no checkpoints/)");
        return ReadSafetensors(System.IO.Path.Combine(checkpoint, Checkpoint.ModelFile), fromCheckpoint: true);
    }

    private static WeightsFile ReadSafetensors(string path, bool fromCheckpoint)
    {
        try
        {
            var file = Engine.Safetensors.Load(path);
            return new WeightsFile(path, file.Tensors, fromCheckpoint, file);
        }
        catch (SafetensorsFormatException e)
        {
            throw new CheckpointException(path, e.Problem, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot be read: {EnvironmentException.Reason(e, path)}", e);
        }
    }

    private static WeightsFile ReadPyTorch(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot be read: {EnvironmentException.Reason(e, path)}", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a zip (torch.save before 1.6, or not PyTorch at all), a whole pickled model, a bad pickle.
            throw new CheckpointException(path, $"not a PyTorch state dict saved by torch.save ({e.GetType().Name}: {e.Message})", e);
        }
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            Collect(path, Unnested(table), tensors);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        finally
        {
            DisposeTensors(table, tensors);
        }
        return new WeightsFile(path, tensors, fromCheckpoint: false, owner: null);
    }

    /// <summary>{"model": state_dict, "step": …} as training scripts save it: the state dict inside.</summary>
    private static Hashtable Unnested(Hashtable table)
    {
        if (table.Values.OfType<Tensor>().Any()) return table;
        foreach (var key in NestedKeys)
            if (table[key] is Hashtable inner) return inner;
        return table;
    }

    private static void Collect(string path, Hashtable table, Dictionary<string, Tensor> into)
    {
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor tensor)
                throw new CheckpointException(path, $"'{entry.Key}' is a {entry.Value?.GetType().Name ?? "None"}, not a tensor: expected a state dict (torch.save(model.state_dict(), …))");
            into[name] = tensor;
        }
    }

    // Tensors of the unpickled tables that were not kept (other entries of a nested save).
    private static void DisposeTensors(Hashtable table, Dictionary<string, Tensor> kept)
    {
        foreach (var value in table.Values)
        {
            if (value is Tensor t && !kept.ContainsValue(t)) t.Dispose();
            else if (value is Hashtable inner) DisposeTensors(inner, kept);
        }
    }
}
