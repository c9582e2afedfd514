// The `train` benchmark's models as a TorchSharp user writes them (nn.Transformer for small/base, nn.MultiheadAttention
// pre-LN blocks for tiny), trained with AdamW and a dispose scope per step: the baseline the framework is measured against.
using System.Diagnostics;
using System.Globalization;
using Transformer.Models;
using TorchSharp;
using TorchSharp.Modules;
using MultiheadAttention = TorchSharp.Modules.MultiheadAttention;   // not the framework's own (Transformer.Models)
using static TorchSharp.torch;

namespace Transformer.Bench;

internal static class TorchSharpBaseline
{
    /// <summary>Program has loaded the engine as the framework does, with TRANSFORMER_NUM_THREADS applied.</summary>
    public static int Run(string[] args)
    {
        var name = args.FirstOrDefault() ?? "";
        if (!TrainBenchmark.Sizes.TryGetValue(name, out var size))
        {
            Console.Error.WriteLine($"torchsharp: expected a size ({string.Join(", ", TrainBenchmark.Sizes.Keys)}), got '{name}'");
            return 2;
        }
        var steps = (int)Options.Get(args, "--steps", size.DefaultSteps);
        var warmup = (int)Options.Get(args, "--warmup", 3);
        var losses = args.Contains("--losses");

        manual_seed(0);
        using nn.Module model = size.Model switch
        {
            DecoderOnlyConfig m => new Gpt(m, size.Length),
            EncoderDecoderConfig m => new Seq2Seq(m, size.Length),
            _ => throw new NotSupportedException(size.Model.GetType().Name),
        };
        model.train();
        var vocab = size.Model is DecoderOnlyConfig d ? d.VocabSize : ((EncoderDecoderConfig)size.Model).TargetVocabSize;
        var training = TrainBenchmark.Training(warmup + steps);
        using var optimizer = optim.AdamW(model.parameters(), training.Optimizer.Lr, training.Optimizer.Betas.Beta1,
            training.Optimizer.Betas.Beta2, weight_decay: training.Optimizer.WeightDecay);
        // The framework's constant schedule after a linear warm-up.
        var warmupSteps = training.Schedule.WarmupSteps;
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, step => Math.Min(1.0, (step + 1.0) / warmupSteps));

        var times = new List<double>();
        for (var i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var (logits, target) = Forward(model, size);                                 // (T, B, V), (B, T)
                var loss = nn.functional.cross_entropy(logits.reshape(-1, vocab),           // (T·B, V)
                    target.t().reshape(-1), ignore_index: size.Model.PadIndex, label_smoothing: training.LabelSmoothing);
                var value = loss.item<float>();   // the framework reads the loss every step (non-finite check, logging)
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), training.ClipGradNorm!.Value);
                optimizer.step();
                schedule.step();
                optimizer.zero_grad();
                if (losses) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {i + 1} loss {value:F4}"));
            }
            if (i >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        var median = times[times.Count / 2];
        var parameters = model.parameters().Sum(p => p.numel());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"torchsharp_tokens_per_s\": {size.Rows * size.Length / median:F1}, \"step_ms\": {median * 1e3:F2}, \"peak_rss_mb\": {Options.PeakRssMiB():F1}, \"parameters\": {parameters}}}"));
        return 0;
    }

    /// <summary>Logits (T, B, V) and targets (B, T) of a fresh random batch, drawn as the framework's bench draws
    /// it (ids 1..V-1).</summary>
    private static (Tensor logits, Tensor target) Forward(nn.Module model, TrainBenchmark.Size size)
    {
        switch (model)
        {
            case Gpt gpt:
            {
                var m = (DecoderOnlyConfig)size.Model;
                var window = randint(1, m.VocabSize, [size.Rows, size.Length + 1]);           // (B, T+1)
                return (gpt.call(window.narrow(1, 0, size.Length).t()), window.narrow(1, 1, size.Length));   // (T, B) in
            }
            case Seq2Seq seq2seq:
            {
                var m = (EncoderDecoderConfig)size.Model;
                var source = randint(1, m.SourceVocabSize, [size.Rows, size.Length]);       // (B, S)
                var target = randint(1, m.TargetVocabSize, [size.Rows, size.Length]);       // (B, T)
                var output = randint(1, m.TargetVocabSize, [size.Rows, size.Length]);       // (B, T)
                return (seq2seq.call(source.t(), target.t()), output);                       // (S, B), (T, B) in
            }
            default:
                throw new NotSupportedException(model.GetType().Name);
        }
    }

    /// <summary>nanoGPT's shape: learned positions, pre-LN GELU blocks, a final LayerNorm, output tied to the
    /// token embedding. Sequence-first, as nn.MultiheadAttention is.</summary>
    private sealed class Gpt : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding tokens;
        private readonly Embedding positions;
        private readonly Dropout dropout;
        private readonly ModuleList<Block> blocks;
        private readonly LayerNorm norm;
        private readonly Tensor causal;

        public Gpt(DecoderOnlyConfig config, int length) : base(nameof(Gpt))
        {
            tokens = nn.Embedding(config.VocabSize, config.DModel);
            positions = nn.Embedding(config.MaxPositions, config.DModel);
            dropout = nn.Dropout(config.Dropout);
            blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
            norm = nn.LayerNorm(config.DModel);
            causal = triu(full(length, length, float.NegativeInfinity), 1);                // (T, T) additive
            RegisterComponents();
            // GPT-2's initialisation, as the framework's (nn.Embedding's N(0, 1) would start from a far higher loss).
            using (no_grad())
            {
                tokens.weight!.normal_(0, 0.02);
                positions.weight!.normal_(0, 0.02);
            }
        }

        /// <summary>tokens (T, B) → logits (T, B, V).</summary>
        public override Tensor forward(Tensor x)
        {
            var length = x.size(0);
            var h = dropout.call(tokens.call(x) + positions.call(arange(length)).unsqueeze(1));   // (T, B, D)
            var mask = causal.narrow(0, 0, length).narrow(1, 0, length);
            foreach (var block in blocks) h = block.call(h, mask);
            return nn.functional.linear(norm.call(h), tokens.weight!);
        }
    }

    /// <summary>A pre-LN block: x + dropout(attn(norm1(x))), then x + dropout(ff(norm2(x))).</summary>
    private sealed class Block : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly MultiheadAttention self_attn;
        private readonly Dropout dropout1;
        private readonly LayerNorm norm2;
        private readonly Linear linear1;
        private readonly GELU activation;
        private readonly Dropout dropout;
        private readonly Linear linear2;
        private readonly Dropout dropout2;

        public Block(DecoderOnlyConfig config) : base(nameof(Block))
        {
            norm1 = nn.LayerNorm(config.DModel);
            self_attn = nn.MultiheadAttention(config.DModel, config.Heads, config.AttentionDropout);
            dropout1 = nn.Dropout(config.Dropout);
            norm2 = nn.LayerNorm(config.DModel);
            linear1 = nn.Linear(config.DModel, config.DFeedForward);
            activation = nn.GELU();
            dropout = nn.Dropout(config.Dropout);
            linear2 = nn.Linear(config.DFeedForward, config.DModel);
            dropout2 = nn.Dropout(config.Dropout);
            RegisterComponents();
        }

        /// <summary>x (T, B, D), mask (T, T) additive → (T, B, D).</summary>
        public override Tensor forward(Tensor x, Tensor mask)
        {
            var h = norm1.call(x);
            x = x + dropout1.call(self_attn.call(h, h, h, null, false, mask).Item1);
            return x + dropout2.call(linear2.call(dropout.call(activation.call(linear1.call(norm2.call(x))))));
        }
    }

    /// <summary>nn.Transformer (post-LN, a final LayerNorm on both stacks) between one embedding shared by source
    /// and target, scaled by √d, with sinusoidal positions, and an output tied to it.</summary>
    private sealed class Seq2Seq : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Embedding embed;
        private readonly TorchSharp.Modules.Transformer transformer;
        private readonly Dropout dropout;
        private readonly Tensor pe;
        private readonly Tensor causal;
        private readonly double scale;
        private readonly long padIndex;

        public Seq2Seq(EncoderDecoderConfig config, int length) : base(nameof(Seq2Seq))
        {
            embed = nn.Embedding(config.SourceVocabSize, config.DModel, padding_idx: config.PadIndex);
            transformer = nn.Transformer(config.DModel, config.Heads, config.EncoderLayers, config.DecoderLayers,
                config.DFeedForward, config.Dropout);
            dropout = nn.Dropout(config.Dropout);
            pe = Sinusoids(config.MaxPositions, config.DModel);                              // (P, 1, D)
            causal = triu(full(length, length, float.NegativeInfinity), 1);                  // (T, T) additive
            scale = Math.Sqrt(config.DModel);
            padIndex = config.PadIndex;
            RegisterComponents();
            // N(0, d^-1/2), so that the √d-scaled embeddings have unit variance (the framework's choice).
            using (no_grad())
            {
                embed.weight!.normal_(0, 1 / scale);
                embed.weight[padIndex].zero_();
            }
        }

        /// <summary>source (S, B), target (T, B) → logits (T, B, V).</summary>
        public override Tensor forward(Tensor source, Tensor target)
        {
            var length = target.size(0);
            var sourcePadding = source.t().eq(padIndex);                                    // (B, S)
            var targetPadding = target.t().eq(padIndex);                                    // (B, T)
            // No source mask: TorchSharp declares it non-nullable but passes null on as "none".
            var h = transformer.call(Embed(source), Embed(target), null!, causal.narrow(0, 0, length).narrow(1, 0, length),
                null, sourcePadding, targetPadding, sourcePadding);                          // (T, B, D)
            return nn.functional.linear(h, embed.weight!);
        }

        /// <summary>tokens (L, B) → (L, B, D).</summary>
        private Tensor Embed(Tensor tokens) => dropout.call(embed.call(tokens) * scale + pe.narrow(0, 0, tokens.size(0)));

        /// <summary>PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(…), as (P, 1, D).</summary>
        private static Tensor Sinusoids(int positions, int d)
        {
            using var scope = NewDisposeScope();
            var position = arange(positions, ScalarType.Float32).unsqueeze(1);                         // (P, 1)
            var div = (arange(0, d, 2, ScalarType.Float32) * (-Math.Log(10000.0) / d)).exp();        // (D/2)
            var angles = position * div;                                                               // (P, D/2)
            var table = stack([angles.sin(), angles.cos()], 2).reshape(positions, 1, d);              // (P, 1, D) interleaved
            return scope.MoveToOuter(table);
        }
    }
}
