// RUN/tensorboard/: the run's metrics as TensorBoard event files (training.tensorboard), next to metrics.jsonl and
// holding the same values: one events file per training session, each record appended and flushed as it is logged.
//
// Written here rather than with TorchSharp 0.107's torch.utils.tensorboard.SummaryWriter, which takes int steps and
// whole-second wall times, stamps its file header with DateTime.Now.Ticks instead of Unix seconds (TensorBoard's
// relative-time axis starts from it), and cannot drop records, which a resume needs (below). TFRecord framing and the
// few Event fields used are short (TfRecordFile, EventProto).
//
// A resume from step S must not show the steps after S twice: TensorBoard plots every (tag, step) record of a run's
// files, so records after S that a crashed session wrote are removed from the older files (rewritten through a
// temporary name), as metrics.jsonl drops its lines after S. The new file also starts with SessionLog START at S + 1,
// which makes an already running TensorBoard (Python loader) forget what it read of those orphans.
namespace Transformer.Training.TensorBoard;

public sealed class TensorBoardLog
{
    /// <summary>The events directory inside a run directory.</summary>
    public const string DirectoryName = "tensorboard";
    /// <summary>The text summary holding the resolved config, written when each session starts.</summary>
    public const string ConfigTag = "config";

    private static int filesCreated;
    private readonly string directory;
    private string? file;

    public TensorBoardLog(string directory) => this.directory = directory;

    /// <summary>The TensorBoard tag of a metrics.jsonl value: train/loss, valid/loss (valid_loss), valid/elapsed_s.</summary>
    public static string Tag(string kind, string name) =>
        $"{kind}/{(name.StartsWith(kind + "_", StringComparison.Ordinal) ? name[(kind.Length + 1)..] : name)}";

    /// <summary>Removes records logged after <paramref name="step"/> from the run's events files (a run resumed from that
    /// step logs them again).</summary>
    public void TruncateAfter(long step) => Drop((eventStep, _) => eventStep > step);

    /// <summary>Starts this session's events file: the file header, SessionLog START and the config as text at
    /// <paramref name="step"/>, the step training starts from (replacing a config text an earlier session wrote there).</summary>
    public void Begin(long step, string configYaml)
    {
        Drop((eventStep, tags) => eventStep == step && tags.Contains(ConfigTag));
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;
        file = Path.Combine(directory, $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}.{Environment.ProcessId}"
            + $".{Interlocked.Increment(ref filesCreated)}");
        using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        TfRecordFile.Write(stream, EventProto.Header(WallTime()));
        TfRecordFile.Write(stream, EventProto.SessionStart(WallTime(), step + 1));
        TfRecordFile.Write(stream, EventProto.Text(WallTime(), step, ConfigTag, $"```yaml\n{configYaml.TrimEnd()}\n```"));
    }

    /// <summary>Appends one event with a scalar per value (as float32, TensorBoard's simple_value), tagged by
    /// <see cref="Tag"/>.</summary>
    public void Append(long step, string kind, IReadOnlyDictionary<string, double> values)
    {
        if (file is null) throw new InvalidOperationException("TensorBoardLog.Begin was not called");
        var record = EventProto.Scalars(WallTime(), step, values.Select(v => (Tag(kind, v.Key), (float)v.Value)));
        using var stream = new FileStream(file, FileMode.Append, FileAccess.Write);
        TfRecordFile.Write(stream, record);
        stream.Flush(flushToDisk: false);
    }

    private static double WallTime() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    /// <summary>Rewrites each events file without the events <paramref name="drop"/> picks (by step and tags) and
    /// without a record cut off by a kill; a file left with only its header goes. Files with nothing to drop are not
    /// touched.</summary>
    private void Drop(Func<long, List<string>, bool> drop)
    {
        if (!Directory.Exists(directory)) return;
        var temporary = Path.Combine(directory, ".rewrite.tmp");   // not a "tfevents" name: TensorBoard never reads it
        foreach (var path in Directory.GetFiles(directory, "events.out.tfevents.*"))
        {
            var records = TfRecordFile.Read(path, out var intact);
            var kept = records.Where(record => EventProto.StepAndTags(record) is not { } e || !drop(e.step, e.tags)).ToList();
            if (intact && kept.Count == records.Count) continue;
            if (kept.All(record => EventProto.StepAndTags(record) is { tags.Count: 0 }))
            {
                File.Delete(path);                              // a header and a session start, nothing logged
                continue;
            }
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
                foreach (var record in kept) TfRecordFile.Write(stream, record);
            File.Move(temporary, path, overwrite: true);
        }
    }
}
