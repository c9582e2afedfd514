// Training throughput through the real trainer (Objective, backward, clip_grad_norm_, schedule, AdamW, dispose
// scopes) on random batches of a fixed shape; TorchSharpBaseline and scripts/pytorch/train_step.py train the same
// models with TorchSharp's and torch.nn's own modules. A step is timed from one batch request to the next, so it
// covers everything the trainer does per step. Started by mpirun, the ranks train together (the batch is the global
// one, each rank computing its share of rows); rank 0 prints the figures, with the time and bytes of all-reduce.
using System.Diagnostics;
using System.Globalization;
using Transformer.Configuration;
using Transformer.Data.Batching;
using Transformer.Distributed;
using Transformer.Models;
using Transformer.Training;
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class TrainBenchmark
{
    /// <summary>One benchmark size: model, batch rows × tokens per row, and how many steps to time.</summary>
    internal sealed record Size(ModelConfig Model, int Rows, int Length, int DefaultSteps);

    /// <summary>The sizes, shared with <see cref="TorchSharpBaseline"/> so both build the same shapes.</summary>
    internal static readonly Dictionary<string, Size> Sizes = new()
    {
        // nanoGPT's CPU recipe (shakespeare_char): GELU, pre-LN, learned positions, tied output.
        ["tiny"] = new(new DecoderOnlyConfig
        {
            VocabSize = 65, DModel = 128, Heads = 4, DFeedForward = 512, Layers = 4, Dropout = 0.1, AttentionDropout = 0.1,
            Activation = FeedForwardActivation.Gelu, Positional = PositionalEncodingKind.Learned, MaxPositions = 64,
        }, 12, 64, 200),
        // nn.Transformer's layout: post-LN with a final LayerNorm on both stacks, shared tied embeddings.
        ["small"] = new(EncoderDecoder(256, 4, 1024, 3), 32, 64, 30),
        ["base"] = new(EncoderDecoder(512, 8, 2048, 6), 16, 64, 10),
    };

    private static EncoderDecoderConfig EncoderDecoder(int d, int heads, int dff, int layers) => new()
    {
        SourceVocabSize = 8000, TargetVocabSize = 8000, ShareEmbeddings = true, DModel = d, Heads = heads, DFeedForward = dff,
        EncoderLayers = layers, DecoderLayers = layers, Dropout = 0.1, AttentionDropout = 0.1, FinalNorm = true,
    };

    public static int Run(string[] args)
    {
        var name = args.FirstOrDefault() ?? "";
        if (!Sizes.TryGetValue(name, out var size))
        {
            Console.Error.WriteLine($"train: expected a size ({string.Join(", ", Sizes.Keys)}), got '{name}'");
            return 2;
        }
        var steps = (int)Options.Get(args, "--steps", size.DefaultSteps);
        var warmup = (int)Options.Get(args, "--warmup", 3);
        // --sdpa: libtorch's scaled_dot_product_attention instead of the explicit form (Attention.UseFusedKernel).
        Attention.UseFusedKernel = args.Contains("--sdpa");
        // --losses: every step's training loss on stderr, to compare the learning curve with the baseline's.
        var losses = args.Contains("--losses");
        // --precision bf16: training.precision (bf16 mixed precision; default fp32).
        var precision = Options.Text(args, "--precision", "fp32") switch
        {
            "fp32" => Precision.Fp32,
            "bf16" => Precision.Bf16,
            var other => throw new ArgumentException($"train: --precision expects fp32 or bf16, got '{other}'"),
        };
        var config = new ExperimentConfig
        {
            Name = "bench-" + name,
            Seed = 0,
            Model = size.Model,
            // One more step than timed: the last step's evaluation and checkpoint are not part of the figure.
            Training = Training(warmup + steps + 1) with { LogEvery = losses ? 1 : int.MaxValue, Precision = precision },
            Checkpoint = new CheckpointConfig { Every = int.MaxValue, KeepLast = 1 },
            Data = new DataConfig { Kind = size.Model is DecoderOnlyConfig ? DataKind.Text : DataKind.Pairs, Builtin = "random" },
        };
        using var communicator = new TimedCommunicator(Communicator.FromEnvironment());
        using var model = Model.Build(size.Model, config.Seed);
        var data = new RandomBatches(size, communicator);
        var runDirectory = Directory.CreateTempSubdirectory("transformer-bench-").FullName;
        try
        {
            new Trainer(config, model, data, runDirectory, losses ? new LossPrinter() : null, communicator: communicator).Run();
        }
        finally
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        if (communicator.Rank != 0) return 0;
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        var timed = data.Steps.Skip(warmup).Take(steps).ToArray();
        var median = Median(timed.Select(s => s.Seconds));
        var tokens = size.Rows * size.Length;
        var parameters = model.parameters().Sum(p => p.numel());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"ours_tokens_per_s\": {tokens / median:F1}, \"step_ms\": {median * 1e3:F2}, \"peak_rss_mb\": {Options.PeakRssMiB():F1}, \"flops_per_token\": {FlopsPerToken(size):E4}, \"parameters\": {parameters}, \"tokens_per_step\": {tokens}, ")
            + string.Create(CultureInfo.InvariantCulture,
            $"\"ranks\": {communicator.Size}, \"threads\": {TorchSharp.torch.get_num_threads()}, \"allreduce_ms\": {Median(timed.Select(s => s.AllReduceSeconds)) * 1e3:F2}, \"allreduce_bytes\": {timed.Select(s => s.AllReduceBytes).Max()}}}"));
        return 0;
    }

    /// <summary>The training settings, shared with <see cref="TorchSharpBaseline"/> (lr, betas, weight decay, warm-up,
    /// clipping, label smoothing).</summary>
    internal static TrainingConfig Training(int maxSteps) => new()
    {
        Optimizer = new OptimizerConfig { Lr = 1e-3, Betas = (0.9, 0.98), WeightDecay = 0.01 },
        Schedule = new ScheduleConfig { Name = ScheduleKind.Constant, WarmupSteps = 100 },
        MaxSteps = maxSteps, ClipGradNorm = 1.0, LabelSmoothing = 0.1,
        EvalEvery = int.MaxValue, LogEvery = int.MaxValue,
    };

    /// <summary>Model FLOPs per target token of one training step: 3 × the forward matmuls (forward, and the
    /// two products of the backward), attention scores over the full T × T square as computed.</summary>
    private static double FlopsPerToken(Size size)
    {
        double T = size.Length;
        static double Layer(double d, double dff, double keys) => 2 * 4 * d * d + 2 * 2 * d * dff + 2 * 2 * keys * d;
        var forward = size.Model switch
        {
            DecoderOnlyConfig m => m.Layers * Layer(m.DModel, m.DFeedForward, T) + 2.0 * m.DModel * m.VocabSize,
            // Source and target rows have the same length, so encoder FLOPs per source token count per target token;
            // cross attention adds its projections (Q, O per target token; K, V per source token) and scores.
            EncoderDecoderConfig m => m.EncoderLayers * Layer(m.DModel, m.DFeedForward, T)
                + m.DecoderLayers * (Layer(m.DModel, m.DFeedForward, T) + 2 * 4.0 * m.DModel * m.DModel + 2 * 2 * T * m.DModel)
                + 2.0 * m.DModel * m.TargetVocabSize,
            _ => throw new NotSupportedException(size.Model.GetType().Name),
        };
        return 3 * forward;
    }

    private sealed class LossPrinter : ITrainingObserver
    {
        public void OnLog(long step, IReadOnlyDictionary<string, double> metrics) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step} loss {metrics["loss"]:F4}"));
    }

    /// <summary>One step as the batch requests saw it: its seconds, and its seconds and bytes in all-reduce.</summary>
    internal sealed record Step(double Seconds, double AllReduceSeconds, long AllReduceBytes);

    /// <summary>Fresh random batches of one shape (ids 1..V-1: no padding), and the time between batch requests (with
    /// the all-reduce time and bytes in between, when a timed communicator is given).</summary>
    internal sealed class RandomBatches(Size size, TimedCommunicator? communicator = null) : IBatchSource
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private (double Time, double AllReduce, long Bytes)? last;

        public List<Step> Steps { get; } = [];

        public IEnumerable<Batch> Epoch(long epoch, long position)
        {
            for (var b = position; ; b++)
            {
                var now = (clock.Elapsed.TotalSeconds, communicator?.AllReduceSeconds ?? 0, communicator?.AllReduceBytes ?? 0);
                if (last is { } previous) Steps.Add(new Step(now.Item1 - previous.Time, now.Item2 - previous.AllReduce, now.Item3 - previous.Bytes));
                last = now;
                yield return Make(new DataCursor(epoch, b));
            }
        }

        public IEnumerable<Batch> Validation()
        {
            yield return Make(DataCursor.Start);
        }

        private Batch Make(DataCursor at)
        {
            var shape = new long[] { size.Rows, size.Length };
            var rows = new long[size.Rows];
            switch (size.Model)
            {
                case DecoderOnlyConfig m:
                {
                    using var window = randint(1, m.VocabSize, new long[] { size.Rows, size.Length + 1 });
                    using var input = window.narrow(1, 0, size.Length);
                    using var target = window.narrow(1, 1, size.Length);
                    return new LanguageModelBatch
                    {
                        Examples = rows, At = at, Next = at, RealTokens = size.Rows * size.Length,
                        Input = input.contiguous(), Target = target.contiguous(),
                    };
                }
                case EncoderDecoderConfig m:
                {
                    var source = randint(1, m.SourceVocabSize, shape);
                    var target = randint(1, m.TargetVocabSize, shape);
                    return new Seq2SeqBatch
                    {
                        Examples = rows, At = at, Next = at, RealTokens = size.Rows * size.Length, SourceTokens = size.Rows * size.Length,
                        Source = source, SourcePadding = source.eq(0), TargetInput = target,
                        TargetOutput = randint(1, m.TargetVocabSize, shape), TargetPadding = target.eq(0),
                    };
                }
                default:
                    throw new NotSupportedException(size.Model.GetType().Name);
            }
        }
    }
}
