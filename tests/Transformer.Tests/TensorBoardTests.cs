// training.tensorboard: the events files hold every metrics.jsonl value as a scalar at its step, and the config as
// text; a resumed run, after a clean stop or a crash past its last checkpoint, has each (tag, step) exactly once.
using System.Text.Json;
using Transformer.Configuration;
using Transformer.Experiments;
using Transformer.Training;
using Transformer.Training.TensorBoard;

namespace Transformer.Tests;

public sealed class TensorBoardTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tensorboard-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static ExperimentConfig Tiny(long maxSteps, bool tensorboard = true) => SequenceReversal.DefaultConfig() with
    {
        Model = new EncoderDecoderConfig
        {
            SourceVocabSize = SequenceReversal.VocabSize, TargetVocabSize = SequenceReversal.VocabSize, ShareEmbeddings = true,
            DModel = 16, Heads = 2, DFeedForward = 32, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0.1, MaxPositions = 32,
        },
        Training = SequenceReversal.DefaultConfig().Training with
        {
            MaxSteps = maxSteps, BatchTokens = 170, LogEvery = 1, EvalEvery = 4, Tensorboard = tensorboard,
            Optimizer = new OptimizerConfig { Lr = 1e-2 }, Schedule = new ScheduleConfig { WarmupSteps = 2 },
        },
        Checkpoint = new CheckpointConfig { Every = 4, KeepLast = 3, KeepBestBy = null },
    };

    private static TrainingOutcome Train(ExperimentConfig config, string run, bool resume = false)
    {
        var data = new SequenceReversal(config.Seed, config.Training.BatchTokens, trainSize: 400, heldOutSize: 40);
        using var model = EncoderDecoder.Build((EncoderDecoderConfig)config.Model, config.Seed);
        return new Trainer(config, model, data, run).Run(resume);
    }

    private static string[] EventFiles(string run) => Directory.GetFiles(Path.Combine(run, "tensorboard"));

    /// <summary>Every scalar of the run's events files by (tag, step); fails if one appears twice.</summary>
    private static Dictionary<(string tag, long step), float> Scalars(string run)
    {
        var scalars = new Dictionary<(string, long), float>();
        foreach (var file in EventFiles(run))
            foreach (var e in TensorBoardEvents.Read(file))
                foreach (var value in e.Values.Where(v => v.Simple is not null))
                    Assert.True(scalars.TryAdd((value.Tag, e.Step), value.Simple!.Value), $"{value.Tag} at step {e.Step} appears twice");
        return scalars;
    }

    /// <summary>metrics.jsonl as TensorBoard should show it: train/NAME, valid/NAME (valid_ dropped), as float32.</summary>
    private static Dictionary<(string tag, long step), float> Expected(string run)
    {
        var expected = new Dictionary<(string, long), float>();
        foreach (var line in File.ReadLines(Path.Combine(run, "metrics.jsonl")))
        {
            var record = JsonDocument.Parse(line).RootElement;
            var (step, kind) = (record.GetProperty("step").GetInt64(), record.GetProperty("kind").GetString()!);
            foreach (var property in record.EnumerateObject().Where(p => p.Name is not ("step" or "kind")))
            {
                var name = kind == "valid" && property.Name.StartsWith("valid_", StringComparison.Ordinal) ? property.Name[6..] : property.Name;
                expected.Add(($"{kind}/{name}", step), (float)property.Value.GetDouble());
            }
        }
        return expected;
    }

    private static List<(long step, string text)> ConfigTexts(string run) =>
        EventFiles(run).SelectMany(TensorBoardEvents.Read)
            .SelectMany(e => e.Values.Where(v => v.Tag == "config").Select(v =>
            {
                Assert.Equal(("text", 7), (v.Plugin, v.Dtype));          // the text plugin's DT_STRING tensor
                Assert.Equal(new long[] { 1 }, v.Shape);
                return (e.Step, v.Text!);
            }))
            .OrderBy(t => t.Step).ToList();

    [Fact]
    public void The_crc_is_crc32c_and_the_writer_masks_it_as_tfrecord_does()
    {
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C("123456789"u8));   // the CRC-32C check value
        var crc = TensorBoardEvents.Crc32C("123456789"u8);
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, TfRecordFile.MaskedCrc("123456789"u8));
    }

    [Fact]
    public void Every_logged_metric_is_a_scalar_at_its_step_and_the_config_is_text()
    {
        var run = Path.Combine(root, "run");
        var config = Tiny(8);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Train(config, run);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        var file = Assert.Single(EventFiles(run));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
        var events = TensorBoardEvents.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.All(events, e => Assert.InRange(e.WallTime, before - 1, after + 1));
        Assert.Equal(events.Select(e => e.WallTime).Order(), events.Select(e => e.WallTime));
        var expected = Expected(run);
        Assert.Contains(("train/loss", 8L), expected.Keys);
        Assert.Contains(("train/tokens_per_s", 8L), expected.Keys);
        Assert.Contains(("train/lr", 1L), expected.Keys);
        Assert.Contains(("valid/loss", 4L), expected.Keys);
        Assert.Equal(expected.OrderBy(kv => kv.Key), Scalars(run).OrderBy(kv => kv.Key));
        var (step, text) = Assert.Single(ConfigTexts(run));
        Assert.Equal(0, step);
        Assert.Contains(ConfigWriter.ToYaml(config).TrimEnd(), text);
        Assert.Contains("tensorboard: true", text);
    }

    [Fact]
    public void A_run_without_tensorboard_writes_no_events()
    {
        var run = Path.Combine(root, "off");
        Train(Tiny(4, tensorboard: false), run);
        Assert.False(Directory.Exists(Path.Combine(run, "tensorboard")));
    }

    [Fact]
    public void A_resumed_run_continues_the_same_curves_in_a_new_file()
    {
        var run = Path.Combine(root, "resumed");
        Train(Tiny(6), run);
        var first = Assert.Single(EventFiles(run));
        var firstBytes = File.ReadAllBytes(first);
        Train(Tiny(12), run, resume: true);

        Assert.Equal(2, EventFiles(run).Length);
        Assert.Equal(firstBytes, File.ReadAllBytes(first));            // nothing after step 6 to drop: untouched
        var second = EventFiles(run).Single(f => f != first);
        var events = TensorBoardEvents.Read(second);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Contains(events, e => e.SessionStatus == 1 && e.Step == 7);  // SessionLog START after the resumed step
        Assert.Equal(7, events.Where(e => e.Values.Any(v => v.Simple is not null)).Min(e => e.Step));
        Assert.Equal(Expected(run).OrderBy(kv => kv.Key), Scalars(run).OrderBy(kv => kv.Key));
        Assert.Equal(12, Scalars(run).Keys.Count(k => k.tag == "train/loss"));
        Assert.Equal(new long[] { 0, 6 }, ConfigTexts(run).Select(t => t.step));
    }

    [Fact]
    public void Steps_a_crashed_run_logged_after_its_last_checkpoint_appear_once_after_the_resume()
    {
        // A run "killed" in the middle of writing its step-12 evaluation, after its step-8 checkpoint: steps 9–12 are
        // in the events file (the last record cut off) but no checkpoint has them, so the resume trains them again.
        var run = Path.Combine(root, "crashed");
        Train(Tiny(12), run);
        Directory.Delete(Path.Combine(run, "checkpoints", "step-12"), recursive: true);
        var file = Assert.Single(EventFiles(run));
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(stream.Length - 5);
        Assert.Throws<Xunit.Sdk.TrueException>(() => TensorBoardEvents.Records(file));

        var outcome = Train(Tiny(12), run, resume: true);
        Assert.Equal(12, outcome.Step);
        var scalars = Scalars(run);                                     // both files pass the CRC checks, no duplicates
        Assert.Equal(Expected(run).OrderBy(kv => kv.Key), scalars.OrderBy(kv => kv.Key));
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), scalars.Keys.Where(k => k.tag == "train/loss").Select(k => k.step).Order());
        Assert.Equal(new long[] { 4, 8, 12 }, scalars.Keys.Where(k => k.tag == "valid/loss").Select(k => k.step).Order());
        Assert.Equal(new long[] { 0, 8 }, ConfigTexts(run).Select(t => t.step));
    }

    [Fact]
    public void A_resume_from_the_same_step_twice_keeps_one_config_text_there()
    {
        var run = Path.Combine(root, "twice");
        Train(Tiny(4), run);
        Train(Tiny(6), run, resume: true);                               // 5–6, checkpoint at 6
        Directory.Delete(Path.Combine(run, "checkpoints", "step-6"), recursive: true);
        Train(Tiny(6), run, resume: true);                               // from 4 again
        Assert.Equal(new long[] { 0, 4 }, ConfigTexts(run).Select(t => t.step));
        Assert.Equal(Expected(run).OrderBy(kv => kv.Key), Scalars(run).OrderBy(kv => kv.Key));
        Assert.Equal(2, EventFiles(run).Length);                         // the second session's file had nothing left
    }

    [Fact]
    public void Tags_drop_the_kind_prefix_of_validation_names()
    {
        Assert.Equal("train/loss", TensorBoardLog.Tag("train", "loss"));
        Assert.Equal("valid/loss", TensorBoardLog.Tag("valid", "valid_loss"));
        Assert.Equal("valid/elapsed_s", TensorBoardLog.Tag("valid", "elapsed_s"));
        Assert.Equal("train/valid_x", TensorBoardLog.Tag("train", "valid_x"));
    }
}
